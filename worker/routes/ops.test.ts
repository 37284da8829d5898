import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { BudgetsReport, ToolsReport } from "../../core/contracts/ops.ts";
import { spendDay } from "../../core/orchestrator/budget.ts";
import { threads, toolCalls, turnMetrics } from "../../db/schema.ts";
import { call } from "../../test-tools/agent-api.ts";
import { query } from "../../test-tools/remote-controls.ts";
import { createTestStaff } from "../../test-tools/staff-accounts.ts";

// Read-only against the shared database (other files add rows too): figures are compared before and after
// this file's own rows. Durable Object storage is this file's own, so its breakers and meters are too.
const ADMIN = { authorization: "Bearer test-admin-token-0123456789abcdef" };

async function tools(window = "24h"): Promise<ToolsReport> {
  const response = await call(`/api/admin/tools?window=${window}`, { headers: ADMIN });
  expect(response.status).toBe(200);
  return (await response.json()) as ToolsReport;
}

async function budgets(): Promise<BudgetsReport> {
  const response = await call("/api/admin/budgets", { headers: ADMIN });
  expect(response.status).toBe(200);
  return (await response.json()) as BudgetsReport;
}

describe("GET /api/admin/tools", () => {
  it("counts this file's email calls per tool and channel, with the breaker's live state", async () => {
    const before = await tools();
    const threadId = crypto.randomUUID();
    await query(async (db) => {
      await db.insert(threads).values({ id: threadId, channel: "email", status: "open" });
      const row = (tool: string, status: string, latencyMs: number) => ({
        id: crypto.randomUUID(),
        threadId,
        turnId: "t1",
        tool,
        dispatch: tool === "create_ticket" ? "queue" : "inline",
        status,
        latencyMs,
      });
      await db
        .insert(toolCalls)
        .values([
          row("get_order", "succeeded", 40),
          row("get_order", "failed", 3000),
          row("create_ticket", "queued", 2),
        ]);
    });
    // Five upstream failures open the get_order breaker: open since the fifth, probing 60 s later.
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) await env.BREAKER.getByName("get_order").report(false);
    const t1 = Date.now();

    const after = await tools();
    const delta = (r: ToolsReport, tool: string) =>
      r.tools.find((t) => t.tool === tool)?.channels.find((c) => c.channel === "email");
    expect(after.tools.map((t) => t.tool)).toEqual([
      "search_kb",
      "get_order",
      "create_ticket",
      "handoff_human",
    ]);
    const order = { was: delta(before, "get_order"), now: delta(after, "get_order") };
    expect((order.now?.calls ?? 0) - (order.was?.calls ?? 0)).toBe(2);
    expect((order.now?.failed ?? 0) - (order.was?.failed ?? 0)).toBe(1);
    const ticket = { was: delta(before, "create_ticket"), now: delta(after, "create_ticket") };
    expect((ticket.now?.pending ?? 0) - (ticket.was?.pending ?? 0)).toBe(1);

    const getOrder = after.tools.find((t) => t.tool === "get_order");
    expect(getOrder).toMatchObject({
      dispatch: "inline",
      switch: { enabled: true, byDefault: true, set: null },
      breaker: { status: "open" },
    });
    const since = Date.parse(getOrder?.breaker?.since ?? "");
    expect(since).toBeGreaterThanOrEqual(t0);
    expect(since).toBeLessThanOrEqual(t1);
    expect(Date.parse(getOrder?.breaker?.probeAt ?? "")).toBe(since + 60_000);
    expect(after.tools.find((t) => t.tool === "search_kb")?.breaker).toMatchObject({ status: "closed" });
    // Queued tools are retried by the queue: no breaker.
    expect(after.tools.find((t) => t.tool === "create_ticket")).toMatchObject({
      dispatch: "queue",
      breaker: null,
    });
    expect(after.channels.map((c) => [c.channel, c.switch.enabled])).toEqual([
      ["web", true],
      ["slack", true],
      ["email", true],
    ]);
    expect(after.errorRateDefinition).toMatch(/refused by an open breaker/);
  });

  it("is for admins: 401 without credentials, 403 for an agent, 400 for an unknown window", async () => {
    expect((await call("/api/admin/tools")).status).toBe(401);
    const agent = await createTestStaff("Agent");
    const refused = await call("/api/admin/budgets", { headers: agent.bearer });
    expect(refused.status).toBe(403);
    const admin = await createTestStaff("Ops", "admin");
    expect((await call("/api/admin/tools?window=7d", { headers: admin.bearer })).status).toBe(200);
    const bad = await call("/api/admin/tools?window=90d", { headers: ADMIN });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_input:window");
  });
});

describe("GET /api/admin/budgets", () => {
  it("shows the site meter against the daily caps, and today's spend per channel", async () => {
    const day = spendDay(Date.now());
    const before = await budgets();
    await env.SPEND_METER.getByName(`site:${day}`).add({ tokens: 12_345, cost: 0.5 });
    const threadId = crypto.randomUUID();
    await query(async (db) => {
      await db.insert(threads).values({ id: threadId, channel: "slack", status: "open" });
      await db.insert(turnMetrics).values({
        turnId: crypto.randomUUID(),
        threadId,
        channel: "slack",
        brain: "llm",
        outcome: "answered:limited_budget",
        totalMs: 10,
        promptTokens: 900,
        completionTokens: 100,
        costUsd: 0.25,
      });
    });
    const after = await budgets();
    expect(after.day).toBe(day);
    expect(after.resetsAt).toBe(new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString());
    // The defaults of core/config.ts: 10M tokens a day for the site, no cost cap, 100k per thread.
    expect(after.caps).toEqual({ siteDailyTokens: 10_000_000, siteDailyCost: 0, threadDailyTokens: 100_000 });
    expect(after.site.tokens - before.site.tokens).toBe(12_345);
    expect(after.site.tokenShare).toBeCloseTo(after.site.tokens / 10_000_000);
    expect(after.site.costShare).toBeNull();
    const slack = (r: BudgetsReport) => r.channels.find((c) => c.channel === "slack");
    expect((slack(after)?.tokens ?? 0) - (slack(before)?.tokens ?? 0)).toBe(1000);
    expect((slack(after)?.overBudgetTurns ?? 0) - (slack(before)?.overBudgetTurns ?? 0)).toBe(1);
    expect(slack(after)?.costShare).toBeNull();
    expect(after.channels.map((c) => c.channel)).toEqual(["web", "slack", "email"]);
  });
});
