/**
 * Tool health from tool_calls: calls, outcomes, error rate and p95 latency per tool and channel over a window,
 * in one grouped query (the conversation's channel comes from threads). Read by GET /api/admin/tools and the
 * console's Tools page, which add the breakers' live state and the rollout switches.
 */
import { sql } from "drizzle-orm";
import type { CallStats } from "../core/contracts/ops.ts";
import type { Database } from "./client.ts";
import { guarded } from "./db-error.ts";

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
      select c.tool, t.channel, grouping(c.tool) as all_tools, grouping(t.channel) as all_channels,
        count(*) as calls,
        count(*) filter (where c.status = 'succeeded') as succeeded,
        count(*) filter (where c.status in ('failed', 'dead_lettered')) as failed,
        count(*) filter (where c.status = 'breaker_open') as refused,
        count(*) filter (where c.status = 'queued') as pending,
        percentile_disc(0.95) within group (order by c.latency_ms)
          filter (where c.status <> 'breaker_open' and c.latency_ms is not null) as p95
      from tool_calls c join threads t on t.id = c.thread_id
      where c.created_at >= ${since}::timestamptz and c.created_at < ${until}::timestamptz
      group by grouping sets ((c.tool, t.channel), (c.tool), (t.channel))`),
  );
  const byKey = new Map<string, CallStats>();
  for (const row of rows) {
    const tool = num(row.all_tools) === 1 ? "*" : String(row.tool);
    const channel = num(row.all_channels) === 1 ? "*" : String(row.channel);
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
