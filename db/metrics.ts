/**
 * The ops Overview's figures: per UTC day and summed over the window, plus reply latency by turn kind. Complete
 * hours come from the hourly rollup (db/rollup.ts), every other hour is computed live from threads, messages,
 * handoffs, turn_metrics, tool_calls and feedback with the same SQL (db/metrics-hourly.ts), so the figures are
 * the same whether or not the cron has run. Read by GET /api/admin/metrics and the console's Overview page.
 * `now` comes in so tests can pin it.
 */
import { sql } from "drizzle-orm";
import {
  type LatencyByKind,
  type Metrics,
  type MetricsDay,
  type MetricsWindow,
  RESOLUTION_DEFINITION,
  turnKindSchema,
  windowRange,
} from "../core/contracts/metrics.ts";
import type { Database } from "./client.ts";
import { guarded } from "./db-error.ts";
import {
  hourlyFigures,
  hourlyLatency,
  LATENCY_ROLLUP,
  METRICS_HOURLY_COLUMNS,
  rolledHistogram,
  windowPlan,
} from "./metrics-hourly.ts";

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export async function overviewMetrics(
  db: Database,
  window: MetricsWindow,
  now = new Date(),
): Promise<Metrics> {
  const { since, until } = windowRange(window, now);
  const [hours, latency] = await guarded("metrics.overview", () =>
    Promise.all([db.execute<Row>(figuresByHour(since, until)), db.execute<Row>(latencyByKind(since, until))]),
  );

  const days = new Map<string, MetricsDay>();
  for (const day of utcDays(since, until)) days.set(day, emptyDay(day));
  let pending = 0;
  for (const row of hours) {
    const d = days.get(String(row.day));
    if (!d) continue;
    const failed = num(row.failed);
    pending += num(row.pending);
    d.conversations += num(row.conversations);
    d.resolved += num(row.resolvable) - num(row.pending);
    d.handoffs += num(row.handoffs);
    d.turns += num(row.turns) + failed;
    d.degraded += num(row.degraded);
    d.failed += failed;
    d.promptTokens += num(row.prompt_tokens);
    d.completionTokens += num(row.completion_tokens);
    d.costUsd += num(row.cost_usd);
    d.thumbsUp += num(row.thumbs_up);
    d.thumbsDown += num(row.thumbs_down);
  }

  const series = [...days.values()];
  const total = (key: keyof Omit<MetricsDay, "day">) => series.reduce((sum, d) => sum + d[key], 0);
  const conversationCount = total("conversations");
  const resolved = total("resolved");
  const costUsd = total("costUsd");
  return {
    window,
    since,
    until,
    resolutionDefinition: RESOLUTION_DEFINITION,
    conversations: conversationCount,
    resolved,
    pending,
    handoffs: total("handoffs"),
    resolutionRate: ratio(resolved, conversationCount - pending),
    handoffRate: ratio(total("handoffs"), conversationCount),
    turns: total("turns"),
    degradedTurns: total("degraded"),
    failedTurns: total("failed"),
    thumbsUp: total("thumbsUp"),
    thumbsDown: total("thumbsDown"),
    csat: ratio(total("thumbsUp"), total("thumbsUp") + total("thumbsDown")),
    latency: latency.map(
      (row): LatencyByKind => ({
        kind: turnKindSchema.parse(row.kind),
        turns: num(row.turns),
        p50Ms: num(row.p50),
        p95Ms: num(row.p95),
      }),
    ),
    promptTokens: total("promptTokens"),
    completionTokens: total("completionTokens"),
    costUsd,
    costPerResolvedUsd: ratio(costUsd, resolved),
    days: series,
  };
}

/**
 * The window's figures per UTC hour, in order (the cost adds up the same way every time): rolled-up hours
 * from metrics_hourly, the rest computed live. Conversations
 * count in the hour they started; of those that look resolved, the ones whose last answer is under 24 hours
 * old at `until` are pending (RESOLUTION_DEFINITION), the others resolved.
 */
function figuresByHour(since: string, until: string) {
  const cutoff = sql`${until}::timestamptz - interval '24 hours'`;
  return sql`
    with ${windowPlan(since, until)}, hourly as (
      select ${METRICS_HOURLY_COLUMNS} from metrics_hourly
      where hour in (select hour from plan where rolled)
      union all (${hourlyFigures(sql`live`)})
    )
    select to_char(hour at time zone 'UTC', 'YYYY-MM-DD') as day, conversations, handoffs,
      cardinality(resolvable_answers) as resolvable,
      case when resolvable_answers[cardinality(resolvable_answers)] > ${cutoff}
        then (select count(*) from unnest(resolvable_answers) a where a > ${cutoff}) else 0 end as pending,
      turns, degraded, failed, prompt_tokens, completion_tokens, cost_usd, thumbs_up, thumbs_down
    from hourly order by hour`;
}

/** p50/p95 (nearest rank, as percentile_disc) of the whole turn's time by kind, over rolled and live hours. */
function latencyByKind(since: string, until: string) {
  return sql`
    with ${windowPlan(since, until)}, merged as (
      select kind, total_ms, sum(n) as turns from (
        ${rolledHistogram(LATENCY_ROLLUP, since, until)}
        union all select kind, total_ms, turns from (${hourlyLatency(sql`live`)}) l
      ) h group by 1, 2 having sum(n) <> 0
    ), ranked as (
      select kind, total_ms, sum(turns) over (partition by kind order by total_ms) as below,
        sum(turns) over (partition by kind) as total
      from merged
    )
    select kind, total as turns,
      min(total_ms) filter (where below >= ${nearestRank(0.5)}) as p50,
      min(total_ms) filter (where below >= ${nearestRank(0.95)}) as p95
    from ranked group by kind, total order by kind`;
}

/** percentile_disc's row: ceil(p x n) in float8, at least the first. */
const nearestRank = (p: number) => sql.raw(`greatest(1, ceil(${p}::float8 * total::float8))`);

function utcDays(since: string, until: string): string[] {
  const days: string[] = [];
  const cursor = new Date(`${since.slice(0, 10)}T00:00:00Z`);
  while (cursor.toISOString() < until) {
    days.push(cursor.toISOString().slice(0, 10));
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return days;
}

function emptyDay(day: string): MetricsDay {
  return {
    day,
    conversations: 0,
    resolved: 0,
    handoffs: 0,
    turns: 0,
    degraded: 0,
    failed: 0,
    promptTokens: 0,
    completionTokens: 0,
    costUsd: 0,
    thumbsUp: 0,
    thumbsDown: 0,
  };
}
