/**
 * Tool health from tool_calls: calls, outcomes, error rate and p95 latency per tool and channel over a window
 * (the conversation's channel comes from threads), in one query over the hourly rollup's tool_calls_hourly
 * for complete hours and the same counts computed live for the rest (db/metrics-hourly.ts). Read by
 * GET /api/admin/tools and the console's Tools page, which add the breakers' live state and the rollout switches.
 */
import { sql } from "drizzle-orm";
import type { CallStats } from "../core/contracts/ops.ts";
import type { Database } from "./client.ts";
import { guarded } from "./db-error.ts";
import { hourlyToolCalls, rolledHistogram, TOOL_CALLS_ROLLUP, windowPlan } from "./metrics-hourly.ts";

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

export interface ToolCallStats {
  /** Keyed `${tool}|${channel}`, `${tool}|*` (the tool on every channel) and `*|${channel}`. */
  get(tool: string | "*", channel: string | "*"): CallStats;
}

export const noCalls: CallStats = {
  calls: 0,
  succeeded: 0,
  failed: 0,
  refused: 0,
  pending: 0,
  errorRate: null,
  p95Ms: null,
};

export async function toolCallStats(db: Database, since: string, until: string): Promise<ToolCallStats> {
  const rows = await guarded("tools.stats", () =>
    db.execute<Row>(sql`
      with ${windowPlan(since, until)}, merged as (
        select tool, channel, status, latency_ms, sum(n) as calls from (
          ${rolledHistogram(TOOL_CALLS_ROLLUP, since, until)}
          union all select tool, channel, status, latency_ms, calls from (${hourlyToolCalls(sql`live`)}) l
        ) h group by 1, 2, 3, 4 having sum(n) <> 0
      ), keyed as (
        -- Each count three times: for its tool and channel, its tool on every channel, its channel.
        select k.tool, k.channel, m.status, m.latency_ms, m.calls from merged m
        cross join lateral (values (m.tool, m.channel), (m.tool, '*'), ('*', m.channel)) k(tool, channel)
      ), counts as (
        select tool, channel, sum(calls) as calls,
          sum(calls) filter (where status = 'succeeded') as succeeded,
          sum(calls) filter (where status in ('failed', 'dead_lettered')) as failed,
          sum(calls) filter (where status = 'breaker_open') as refused,
          sum(calls) filter (where status = 'queued') as pending
        from keyed group by 1, 2
      ), timed as (
        select tool, channel, latency_ms, sum(calls) as calls from keyed
        where status <> 'breaker_open' and latency_ms is not null group by 1, 2, 3
      ), ranked as (
        select tool, channel, latency_ms,
          sum(calls) over (partition by tool, channel order by latency_ms) as below,
          sum(calls) over (partition by tool, channel) as total
        from timed
      ), p95 as (
        -- percentile_disc(0.95): the first latency whose running count reaches ceil(0.95 n) in float8.
        select tool, channel, min(latency_ms) filter (where below >= greatest(1, ceil(0.95::float8 * total::float8))) as p95
        from ranked group by 1, 2
      )
      select c.tool, c.channel, c.calls, c.succeeded, c.failed, c.refused, c.pending, p.p95
      from counts c left join p95 p using (tool, channel)`),
  );
  const byKey = new Map<string, CallStats>();
  for (const row of rows) {
    const tool = String(row.tool);
    const channel = String(row.channel);
    const calls = num(row.calls);
    const failed = num(row.failed);
    const refused = num(row.refused);
    const pending = num(row.pending);
    const finished = calls - pending;
    byKey.set(`${tool}|${channel}`, {
      calls,
      succeeded: num(row.succeeded),
      failed,
      refused,
      pending,
      errorRate: finished > 0 ? (failed + refused) / finished : null,
      p95Ms: row.p95 === null || row.p95 === undefined ? null : num(row.p95),
    });
  }
  return { get: (tool, channel) => byKey.get(`${tool}|${channel}`) ?? noCalls };
}
