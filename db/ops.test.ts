import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDatabase, type TestDatabase } from "../kb-loader/test-database.ts";
import { spendOfDay } from "./budgets.ts";
import { currentSwitches, readSwitches, recentSwitchChanges, setSwitch } from "./rollout.ts";
import { threads, toolCalls, turnMetrics } from "./schema.ts";
import { toolCallStats } from "./tool-stats.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await startTestDatabase();
});
afterAll(async () => {
  await t?.stop();
});

const SINCE = "2026-06-10T00:00:00.000Z";
const UNTIL = "2026-06-11T00:00:00.000Z";

async function thread(channel: string) {
  const id = randomUUID();
  await t.db.insert(threads).values({ id, channel, status: "open", createdAt: new Date(SINCE) });
  return id;
}

async function calls(
  threadId: string,
  tool: string,
  list: [status: string, ms: number | null][],
  at = SINCE,
) {
  for (const [status, latencyMs] of list) {
    await t.db.insert(toolCalls).values({
      id: randomUUID(),
      threadId,
      turnId: "turn",
      tool,
      dispatch: "inline",
      status,
      latencyMs,
      createdAt: new Date(new Date(at).getTime() + 3_600_000),
    });
  }
}

describe("tool health from tool_calls", () => {
  it("counts outcomes, error rate and p95 per tool and channel, each figure by hand", async () => {
    const web = await thread("web");
    const slack = await thread("slack");
    // get_order on web: 18 succeeded (10..180 ms), 1 failed (900 ms), 1 refused by the breaker (0 ms).
    await calls(
      web,
      "get_order",
      Array.from({ length: 18 }, (_, i): [string, number] => ["succeeded", (i + 1) * 10]),
    );
    await calls(web, "get_order", [
      ["failed", 900],
      ["breaker_open", 0],
    ]);
    // get_order on slack: one dead-lettered, one still queued.
    await calls(slack, "get_order", [
      ["dead_lettered", 50],
      ["queued", null],
    ]);
    await calls(web, "search_kb", [["succeeded", 30]]);
    // Outside the window: counted nowhere.
    await calls(web, "get_order", [["failed", 5000]], "2026-06-09T00:00:00.000Z");

    const stats = await toolCallStats(t.db, SINCE, UNTIL);
    // 20 calls; 20 finished; failed 1 + refused 1 -> 2/20. p95 of 19 timed (18 + the 900): rank ceil(0.95*19)=19 -> 900.
    expect(stats.get("get_order", "web")).toEqual({
      calls: 20,
      succeeded: 18,
      failed: 1,
      refused: 1,
      pending: 0,
      errorRate: 0.1,
      p95Ms: 900,
    });
    // Queued calls are not finished: 1 failure over 1 finished call.
    expect(stats.get("get_order", "slack")).toEqual({
      calls: 2,
      succeeded: 0,
      failed: 1,
      refused: 0,
      pending: 1,
      errorRate: 1,
      p95Ms: 50,
    });
    expect(stats.get("get_order", "*")).toMatchObject({ calls: 22, failed: 2, refused: 1, pending: 1 });
    expect(stats.get("get_order", "*").errorRate).toBeCloseTo(3 / 21);
    expect(stats.get("*", "web")).toMatchObject({ calls: 21, succeeded: 19 });
    expect(stats.get("create_ticket", "email")).toEqual({
      calls: 0,
      succeeded: 0,
      failed: 0,
      refused: 0,
      pending: 0,
      errorRate: null,
      p95Ms: null,
    });
  });
});

describe("today's spend by channel", () => {
  it("sums turn_metrics of the UTC day per channel, and counts threads at their cap", async () => {
    const a = await thread("web");
    const b = await thread("web");
    const c = await thread("email");
    const turn = async (
      threadId: string,
      channel: string,
      tokens: number,
      cost: number,
      outcome = "answered",
      at = "2026-06-10T08:00:00Z",
    ) =>
      t.db.insert(turnMetrics).values({
        turnId: randomUUID(),
        threadId,
        channel,
        brain: "llm",
        outcome,
        totalMs: 100,
        promptTokens: tokens - 10,
        completionTokens: 10,
        costUsd: cost,
        createdAt: new Date(at),
      });
    await turn(a, "web", 600, 0.25);
    await turn(a, "web", 500, 0.25);
    await turn(b, "web", 300, 0.5, "answered:limited_budget");
    await turn(c, "email", 200, 0.125);
    // Yesterday and tomorrow do not count.
    await turn(c, "email", 9999, 9, "answered", "2026-06-09T23:59:59Z");
    await turn(c, "email", 9999, 9, "answered", "2026-06-11T00:00:00Z");

    const spend = await spendOfDay(t.db, SINCE, 1000);
    expect(spend.channels.get("web")).toEqual({ turns: 3, tokens: 1400, cost: 1, overBudgetTurns: 1 });
    expect(spend.channels.get("email")).toEqual({ turns: 1, tokens: 200, cost: 0.125, overBudgetTurns: 0 });
    expect(spend.channels.get("slack")).toBeUndefined();
    // Thread a used 1100 >= 1000; b 300 and c 200 did not.
    expect(spend.threadsAtCap).toBe(1);
    expect((await spendOfDay(t.db, SINCE, 0)).threadsAtCap).toBe(0);
  });
});

describe("rollout switches", () => {
  it("set a switch with an audit row from the value in effect, and read it back", async () => {
    const admin = { kind: "admin_token" as const, id: null, name: "admin token" };
    const maya = { kind: "staff" as const, id: randomUUID(), name: "Maya" };
    expect(await readSwitches(t.db)).toEqual([]);
    // No switch yet: the change is from the default.
    expect(
      await setSwitch(t.db, {
        kind: "tool",
        name: "get_order",
        enabled: false,
        byDefault: true,
        actor: admin,
      }),
    ).toEqual({ from: true, to: false });
    expect(
      await setSwitch(t.db, { kind: "tool", name: "get_order", enabled: true, byDefault: true, actor: maya }),
    ).toEqual({ from: false, to: true });
    await setSwitch(t.db, { kind: "channel", name: "email", enabled: false, byDefault: true, actor: maya });

    const rows = await readSwitches(t.db);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.kind === "tool")).toMatchObject({
      name: "get_order",
      enabled: true,
      updatedBy: "Maya",
    });
    const changes = await recentSwitchChanges(t.db, 10);
    expect(changes.map((c) => [c.kind, c.name, c.from, c.to, c.by])).toEqual([
      ["channel", "email", true, false, "Maya"],
      ["tool", "get_order", false, true, "Maya"],
      ["tool", "get_order", true, false, "admin token"],
    ]);
  });

  it("are re-read at most every 5 s per isolate, and a failed read keeps what was known", async () => {
    let reads = 0;
    const db = () => {
      reads += 1;
      return t.db;
    };
    const errors: unknown[] = [];
    const start = 10_000_000;
    const first = await currentSwitches(db, (e) => errors.push(e), start);
    await currentSwitches(db, (e) => errors.push(e), start + 4_999);
    expect(reads).toBe(1);
    await currentSwitches(db, (e) => errors.push(e), start + 5_000);
    expect(reads).toBe(2);
    const broken = () => {
      throw new Error("database down");
    };
    expect(await currentSwitches(broken, (e) => errors.push(e), start + 20_000)).toEqual(first);
    expect(errors).toHaveLength(1);
  });
});
