import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RESOLUTION_DEFINITION } from "../core/contracts/metrics.ts";
import { type DbHandle, openDb } from "./client.ts";
import { type LocalPostgres, startLocalPostgres } from "./local-postgres.ts";
import { overviewMetrics } from "./metrics.ts";
import { migrateDatabase } from "./migrate.ts";
import { feedback, handoffs, messages, threads, toolCalls, turnMetrics } from "./schema.ts";

const NOW = new Date("2026-06-10T12:00:00Z");
const at = (iso: string, plusMinutes = 0) => new Date(new Date(iso).getTime() + plusMinutes * 60_000);

type Step =
  | { role: "user" | "staff"; minutes: number }
  | {
      role: "assistant";
      minutes: number;
      outcome: string;
      /** Absent for a failed turn: it leaves no turn_metrics row. */
      turn?: {
        id: string;
        ms: number;
        tools?: string[];
        prompt?: number;
        completion?: number;
        cost?: number;
      };
      rating?: "up" | "down";
    };

/** One conversation as the recorder would have left it: thread, messages, tool calls, metrics, ratings. */
async function seedThread(db: DbHandle["db"], startedAt: string, steps: Step[], handedOff = false) {
  const threadId = randomUUID();
  await db.insert(threads).values({ id: threadId, channel: "web", status: "open", createdAt: at(startedAt) });
  let seq = 0;
  for (const step of steps) {
    const createdAt = at(startedAt, step.minutes);
    const id = randomUUID();
    seq += 1;
    const meta = step.role === "assistant" ? { outcome: step.outcome, turnId: step.turn?.id } : {};
    await db.insert(messages).values({ id, threadId, seq, role: step.role, content: "…", meta, createdAt });
    if (step.role !== "assistant") continue;
    const turn = step.turn;
    if (turn) {
      const tools = turn.tools ?? [];
      for (const [i, tool] of tools.entries()) {
        await db.insert(toolCalls).values({
          id: `${turn.id}-${i}`,
          threadId,
          turnId: turn.id,
          tool,
          dispatch: "inline",
          status: "succeeded",
          latencyMs: 10,
          createdAt,
        });
      }
      await db.insert(turnMetrics).values({
        turnId: turn.id,
        threadId,
        channel: "web",
        brain: "llm",
        model: "m",
        outcome: step.outcome,
        toolCalls: tools.length,
        totalMs: turn.ms,
        promptTokens: turn.prompt ?? 1000,
        completionTokens: turn.completion ?? 50,
        costUsd: turn.cost ?? 0.01,
        createdAt,
      });
    }
    if (step.rating) {
      await db.insert(feedback).values({ messageId: id, threadId, rating: step.rating, createdAt });
    }
  }
  if (handedOff) {
    await db.insert(handoffs).values({ callId: randomUUID(), threadId, reason: "asked", excerpt: "…" });
  }
}

describe("overview metrics from known rows", () => {
  let pg: LocalPostgres;
  let handle: DbHandle;
  beforeAll(async () => {
    pg = await startLocalPostgres();
    await migrateDatabase(pg.url);
    handle = openDb(pg.url);
    const db = handle.db;
    const answered = (minutes: number, turn: NonNullable<Extract<Step, { role: "assistant" }>["turn"]>) =>
      ({ role: "assistant", minutes, outcome: "answered", turn }) as const;
    // T1: answered, nothing after: resolved.
    await seedThread(db, "2026-06-05T10:00:00Z", [
      { role: "user", minutes: 0 },
      { ...answered(1, { id: "a1", ms: 100 }), rating: "up" },
    ]);
    // T2: two knowledge answers; the last answered: resolved.
    await seedThread(db, "2026-06-05T11:00:00Z", [
      { role: "user", minutes: 0 },
      { ...answered(1, { id: "b1", ms: 400, tools: ["search_kb"] }), rating: "up" },
      { role: "user", minutes: 120 },
      {
        role: "assistant",
        minutes: 121,
        outcome: "answered:claims_dropped",
        turn: { id: "b2", ms: 600, tools: ["search_kb"] },
        rating: "up",
      },
    ]);
    // T3: an order answer, then a turn that failed outright (no metrics row): not resolved.
    await seedThread(db, "2026-06-06T09:00:00Z", [
      { role: "user", minutes: 0 },
      answered(1, { id: "c1", ms: 800, tools: ["search_kb", "get_order"] }),
      { role: "user", minutes: 60 },
      { role: "assistant", minutes: 61, outcome: "failed:turn" },
    ]);
    // T4: handed off (handoff row and outcome).
    await seedThread(
      db,
      "2026-06-07T09:00:00Z",
      [
        { role: "user", minutes: 0 },
        {
          role: "assistant",
          minutes: 1,
          outcome: "handoff:requested",
          turn: { id: "d1", ms: 300, tools: ["handoff_human"] },
        },
      ],
      true,
    );
    // T5: answered, then a person replied (a takeover without a handoff row): handed off, not resolved.
    await seedThread(db, "2026-06-08T09:00:00Z", [
      { role: "user", minutes: 0 },
      answered(1, { id: "e1", ms: 200 }),
      { role: "staff", minutes: 10 },
    ]);
    // T6: answered six hours ago: pending.
    await seedThread(db, "2026-06-10T06:00:00Z", [
      { role: "user", minutes: 0 },
      answered(1, { id: "f1", ms: 300 }),
    ]);
    // T7: a degraded order turn.
    await seedThread(db, "2026-06-09T09:00:00Z", [
      { role: "user", minutes: 0 },
      {
        role: "assistant",
        minutes: 1,
        outcome: "degraded:tool_unavailable",
        turn: { id: "g1", ms: 2000, tools: ["get_order"], prompt: 500, completion: 0, cost: 0.005 },
        rating: "down",
      },
    ]);
    // T9: answered, but the visitor wrote again two hours later: not resolved.
    await seedThread(db, "2026-06-08T12:00:00Z", [
      { role: "user", minutes: 0 },
      { ...answered(1, { id: "i1", ms: 500, tools: ["search_kb"] }), rating: "down" },
      { role: "user", minutes: 120 },
    ]);
    // T8: before the window: counted nowhere.
    await seedThread(db, "2026-06-01T09:00:00Z", [
      { role: "user", minutes: 0 },
      { ...answered(1, { id: "h1", ms: 9000, prompt: 99_999, cost: 9 }), rating: "down" },
    ]);
  });
  afterAll(async () => {
    await handle.close();
    await pg.stop();
  });

  it("counts each figure of the last 7 days as counted by hand", async () => {
    const m = await overviewMetrics(handle.db, "7d", NOW);
    expect(m.since).toBe("2026-06-03T12:00:00.000Z");
    expect(m.resolutionDefinition).toBe(RESOLUTION_DEFINITION);
    // T1-T7 and T9; T4 and T5 went to a person; T1 and T2 resolved; T6 pending.
    expect(m).toMatchObject({ conversations: 8, handoffs: 2, resolved: 2, pending: 1 });
    expect(m.resolutionRate).toBeCloseTo(2 / 7, 10);
    expect(m.handoffRate).toBeCloseTo(2 / 8, 10);
    // Nine turns with metrics plus T3's failed turn; g1 degraded.
    expect(m).toMatchObject({ turns: 10, degradedTurns: 1, failedTurns: 1 });
    // Up: T1, T2 twice; down: T7, T9 (T8's is before the window).
    expect(m).toMatchObject({ thumbsUp: 3, thumbsDown: 2 });
    expect(m.csat).toBeCloseTo(0.6, 10);
    expect(m.latency).toEqual([
      { kind: "knowledge", turns: 3, p50Ms: 500, p95Ms: 600 },
      { kind: "none", turns: 3, p50Ms: 200, p95Ms: 300 },
      { kind: "order", turns: 2, p50Ms: 800, p95Ms: 2000 },
      { kind: "other", turns: 1, p50Ms: 300, p95Ms: 300 },
    ]);
    expect(m.promptTokens).toBe(8 * 1000 + 500);
    expect(m.completionTokens).toBe(8 * 50);
    expect(m.costUsd).toBeCloseTo(0.085, 10);
    expect(m.costPerResolvedUsd).toBeCloseTo(0.0425, 10);
  });

  it("has one row per UTC day of the window, with each day's own counts", async () => {
    const m = await overviewMetrics(handle.db, "7d", NOW);
    expect(m.days.map((d) => d.day)).toEqual([
      "2026-06-03",
      "2026-06-04",
      "2026-06-05",
      "2026-06-06",
      "2026-06-07",
      "2026-06-08",
      "2026-06-09",
      "2026-06-10",
    ]);
    const day = (d: string) => m.days.find((x) => x.day === d);
    expect(day("2026-06-04")).toMatchObject({ conversations: 0, turns: 0, costUsd: 0 });
    expect(day("2026-06-05")).toMatchObject({ conversations: 2, resolved: 2, turns: 3, thumbsUp: 3 });
    expect(day("2026-06-05")?.costUsd).toBeCloseTo(0.03, 10);
    expect(day("2026-06-06")).toMatchObject({ conversations: 1, resolved: 0, turns: 2, failed: 1 });
    expect(day("2026-06-08")).toMatchObject({ conversations: 2, handoffs: 1, turns: 2, thumbsDown: 1 });
    expect(day("2026-06-09")).toMatchObject({ turns: 1, degraded: 1, promptTokens: 500, thumbsDown: 1 });
    expect(day("2026-06-10")).toMatchObject({ conversations: 1, resolved: 0, turns: 1 });
  });

  it("narrows to the last 24 hours: only T6, pending, so no rate yet", async () => {
    const m = await overviewMetrics(handle.db, "24h", NOW);
    expect(m).toMatchObject({ conversations: 1, resolved: 0, pending: 1, resolutionRate: null, turns: 1 });
    expect(m.csat).toBeNull();
    expect(m.costPerResolvedUsd).toBeNull();
    expect(m.days.map((d) => d.day)).toEqual(["2026-06-09", "2026-06-10"]);
  });

  it("reaches back 30 days to T8", async () => {
    const m = await overviewMetrics(handle.db, "30d", NOW);
    expect(m).toMatchObject({ conversations: 9, resolved: 3, thumbsDown: 3 });
    expect(m.days).toHaveLength(31);
  });
});
