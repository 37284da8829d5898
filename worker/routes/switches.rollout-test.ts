import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import type { ToolsReport } from "../../core/contracts/ops.ts";
import { ROLLOUT_TTL_MS } from "../../db/rollout.ts";
import { toolCalls } from "../../db/schema.ts";
import { call, openThread, postMessage } from "../../test-tools/agent-api.ts";
import { addLlmRule, llmRequests, query } from "../../test-tools/remote-controls.ts";
import { cookieHeader, createTestStaff, signInAs } from "../../test-tools/staff-accounts.ts";

// This project has a database of its own: switching a tool off here cannot touch another file's turns.
const ADMIN = { authorization: "Bearer test-admin-token-0123456789abcdef" };
const unique = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}`;
const orderArgs = { order_id: "FH-100231", email: "ana.kovac@example.com" };

const put = (path: string, body: unknown, headers: Record<string, string> = ADMIN) =>
  call(`/api/admin/switches/${path}`, {
    method: "PUT",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

/** Spacing between tries: each try before the switch applies is a whole turn on the shared PGlite. */
const pause = () => new Promise((resolve) => setTimeout(resolve, 400));

const codeOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;

/** A model turn that calls get_order in a new thread (a new Durable Object): the tools the model was offered. */
async function orderTurn() {
  const m = unique("rollout where is my order");
  await addLlmRule({
    match: m,
    responses: [{ tool_calls: [{ name: "get_order", arguments: orderArgs }] }, { text: "Checked." }],
  });
  const { threadId } = await openThread(m);
  const sent = await llmRequests(m);
  const rows = await query((db) => db.select().from(toolCalls).where(eq(toolCalls.threadId, threadId)));
  return { offered: sent[0]?.tools ?? [], sent, ran: rows.filter((r) => r.tool === "get_order") };
}

afterAll(async () => {
  await put("tool/get_order", { enabled: true });
  await put("channel/web", { enabled: true });
});

describe("rollout switches", () => {
  it("a tool switched off stops being offered and run in other threads within seconds, audited", async () => {
    const before = await orderTurn();
    expect(before.offered).toContain("get_order");
    expect(before.ran).toHaveLength(1);

    const switched = await put("tool/get_order", { enabled: false });
    expect(switched.status).toBe(200);
    expect(await switched.json()).toEqual({
      kind: "tool",
      name: "get_order",
      from: true,
      to: false,
      effectiveWithinSeconds: ROLLOUT_TTL_MS / 1000,
    });
    const at = Date.now();

    // Each try is a new thread, so a new Durable Object; the isolate's cached switches expire within the TTL.
    let after = await orderTurn();
    while (after.offered.includes("get_order") && Date.now() - at < ROLLOUT_TTL_MS + 3_000) {
      await pause();
      after = await orderTurn();
    }
    const took = Date.now() - at;
    expect(after.offered).not.toContain("get_order");
    expect(after.offered).toContain("search_kb");
    expect(took).toBeLessThan(ROLLOUT_TTL_MS + 3_000);
    // The model asked for it anyway: refused, never run, and the model is told which tools exist.
    expect(after.ran).toHaveLength(0);
    const told = JSON.parse(String(after.sent[1]?.messages.at(-1)?.content)) as { error: string };
    expect(told.error).toBe('Unknown tool "get_order". Use one of: search_kb, create_ticket, handoff_human.');

    const [audit] = await query((db) =>
      db.execute<Record<string, unknown>>(
        sql`select kind, name, from_enabled, to_enabled, actor_kind, actor_name from rollout_switch_changes
            order by created_at desc limit 1`,
      ),
    );
    expect(audit).toEqual({
      kind: "tool",
      name: "get_order",
      from_enabled: true,
      to_enabled: false,
      actor_kind: "admin_token",
      actor_name: "admin token",
    });

    const report = (await (await call("/api/admin/tools", { headers: ADMIN })).json()) as ToolsReport;
    const getOrder = report.tools.find((t) => t.tool === "get_order");
    expect(getOrder?.switch).toMatchObject({ enabled: false, byDefault: true, set: { enabled: false } });
    expect(report.changes[0]).toMatchObject({ kind: "tool", name: "get_order", from: true, to: false });

    await put("tool/get_order", { enabled: true });
  });

  it("a channel switched off answers forbidden:channel, and on again serves", async () => {
    const off = await put("channel/web", { enabled: false });
    expect(off.status).toBe(200);
    const at = Date.now();
    let refused = await postMessage({ message: "hello there" });
    while (refused.status !== 403 && Date.now() - at < ROLLOUT_TTL_MS + 3_000) {
      await pause();
      refused = await postMessage({ message: "hello there" });
    }
    expect(refused.status).toBe(403);
    expect(await codeOf(refused)).toBe("forbidden:channel");

    const on = await put("channel/web", { enabled: true });
    expect(on.status).toBe(200);
    const back = Date.now();
    let served = await postMessage({ message: "hello again" });
    while (served.status !== 201 && Date.now() - back < ROLLOUT_TTL_MS + 3_000) {
      await pause();
      served = await postMessage({ message: "hello again" });
    }
    expect(served.status).toBe(201);
  });

  it("admins change switches by session (with its CSRF token) or API token; agents and bad input cannot", async () => {
    const admin = await createTestStaff("Rollout", "admin");
    const { jar, csrf } = await signInAs(admin);
    const cookie = { cookie: cookieHeader(jar) };
    const noCsrf = await put("tool/create_ticket", { enabled: false }, cookie);
    expect(noCsrf.status).toBe(403);
    expect(await codeOf(noCsrf)).toBe("forbidden:csrf");
    const bySession = await put(
      "tool/create_ticket",
      { enabled: false },
      { ...cookie, "x-csrf-token": csrf },
    );
    expect(bySession.status).toBe(200);
    const byToken = await put("tool/create_ticket", { enabled: true }, admin.bearer);
    expect(await byToken.json()).toMatchObject({ from: false, to: true });
    const audit = await query((db) =>
      db.execute<Record<string, unknown>>(
        sql`select actor_kind, actor_id, actor_name, to_enabled from rollout_switch_changes
            where name = 'create_ticket' order by created_at`,
      ),
    );
    expect(audit).toEqual([
      { actor_kind: "staff", actor_id: admin.id, actor_name: "Rollout", to_enabled: false },
      { actor_kind: "staff", actor_id: admin.id, actor_name: "Rollout", to_enabled: true },
    ]);

    const agent = await createTestStaff("Agent");
    const byAgent = await put("tool/create_ticket", { enabled: false }, agent.bearer);
    expect(byAgent.status).toBe(403);
    expect(await codeOf(byAgent)).toBe("forbidden:role");
    expect((await put("tool/create_ticket", { enabled: false }, {})).status).toBe(401);
    expect(await codeOf(await put("widget/x", { enabled: false }))).toBe("invalid_input:kind");
    expect(await codeOf(await put("tool/refund_everything", { enabled: false }))).toBe("not_found:switch");
    expect(await codeOf(await put("tool/get_order", { enabled: "no" }))).toBe("invalid_input:enabled");
    // None of the refused requests changed anything.
    const [count] = await query((db) =>
      db.execute<{ n: number }>(
        sql`select count(*)::int as n from rollout_switch_changes where name = 'create_ticket'`,
      ),
    );
    expect(count?.n).toBe(2);
  });
});
