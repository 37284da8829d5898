/**
 * Where a benchmarked turn's time goes, from the agent's own record: each turn's `turn_metrics` row (plan,
 * tools, draft and guardrail stages and the turn's total, timed in the Durable Object) joined by turn id to the
 * time the bench measured over HTTP. What is left (HTTP minus the turn) is the Worker's routing, the Durable
 * Object's RPC, storage and reply building around the turn. Used by bench/turns.ts; rows are written by the
 * recorder right after each reply, so this waits for them.
 */
import { inArray } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { turnMetrics } from "../db/schema.ts";
import { percentiles } from "../evals/retrieval-metrics.ts";

export interface TimedTurn {
  turnId: string;
  httpMs: number;
}

export const STAGE_HEADER = ["turn in DO", "plan", "tools", "draft", "guardrail", "around the turn"];

/** p50 / p95 per stage, as table cells in STAGE_HEADER's order. */
export async function stageCells(db: Database, turns: TimedTurn[]): Promise<string[]> {
  const ids = turns.map((t) => t.turnId);
  let rows: (typeof turnMetrics.$inferSelect)[] = [];
  for (let attempt = 0; attempt < 50; attempt++) {
    rows = [];
    // Chunks of 500 ids keep the statement small.
    for (let i = 0; i < ids.length; i += 500)
      rows.push(
        ...(await db
          .select()
          .from(turnMetrics)
          .where(inArray(turnMetrics.turnId, ids.slice(i, i + 500)))),
      );
    if (rows.length >= ids.length) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  if (rows.length === 0) return STAGE_HEADER.map(() => "n/a");
  const http = new Map(turns.map((t) => [t.turnId, t.httpMs]));
  const cell = (values: number[]) => {
    const p = percentiles(values);
    return `${p.p50.toFixed(0)}/${p.p95.toFixed(0)}`;
  };
  return [
    cell(rows.map((r) => r.totalMs)),
    cell(rows.map((r) => r.planMs)),
    cell(rows.map((r) => r.toolsMs)),
    cell(rows.map((r) => r.draftMs)),
    cell(rows.map((r) => r.guardrailMs)),
    cell(rows.map((r) => (http.get(r.turnId) ?? 0) - r.totalMs)),
  ];
}
