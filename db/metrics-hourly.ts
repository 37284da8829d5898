/**
 * The hourly figures behind the ops Overview and the Tools page, computed from raw rows for a set of time
 * ranges. One SQL for both uses, so a rolled-up hour and a live one can only ever agree: db/rollup.ts stores
 * them for complete hours (the hourly cron), and db/metrics.ts and db/tool-stats.ts compute the hours that
 * are not rolled up (the window's partial first and last hour, and any hour a late write made live again)
 * with the same SQL at read time.
 *
 * `ranges` is a relation of (lo, hi) timestamptz pairs, each inside one UTC hour and none overlapping; every
 * range is read with its own index scan: a lateral subquery with `offset 0`, which the planner cannot flatten
 * into a join (it then filtered a whole table against the ranges).
 */
import { type SQL, sql } from "drizzle-orm";

const hourOf = (column: string) => sql.raw(`date_trunc('hour', ${column}, 'UTC')`);

/** The columns of metrics_hourly, in its order (the rolled-up rows are unioned with these). */
export const METRICS_HOURLY_COLUMNS = sql.raw(
  "hour, conversations, handoffs, resolvable_answers, turns, degraded, failed, prompt_tokens, " +
    "completion_tokens, cost_usd, thumbs_up, thumbs_down",
);

/**
 * Per hour: conversations started (how many went to a person; when each one that looks resolved got its last
 * answer, see RESOLUTION_DEFINITION), turns with metrics, degraded turns, turns that failed outright, tokens,
 * cost (numeric: exact sums in any order) and thumbs.
 */
export function hourlyFigures(ranges: SQL): SQL {
  return sql`
    with conv as (
      select t.created_at, ho.handoff or msg.person as handed_off,
        coalesce(last.outcome like 'answered%', false) as answered, last.created_at as answered_at,
        msg.came_back
      from ${ranges} r
      cross join lateral (select id, created_at from threads
        where created_at >= r.lo and created_at < r.hi offset 0) t
      left join lateral (
        select m.seq, m.created_at, m.meta->>'outcome' as outcome from messages m
        where m.thread_id = t.id and m.role = 'assistant' order by m.seq desc limit 1
      ) last on true
      -- Per-thread aggregates rather than exists (): the planner turned those into hashed scans of whole tables.
      cross join lateral (
        select count(*) filter (where m.role = 'staff'
            or (m.role = 'assistant' and m.meta->>'outcome' like 'handoff:%')) > 0 as person,
          count(*) filter (where m.role = 'user' and m.seq > last.seq
            and m.created_at <= last.created_at + interval '24 hours') > 0 as came_back
        from messages m where m.thread_id = t.id
      ) msg
      cross join lateral (select count(*) > 0 as handoff from handoffs h where h.thread_id = t.id) ho
    ), conversations as (
      select ${hourOf("created_at")} as hour, count(*) as conversations,
        count(*) filter (where handed_off) as handoffs,
        array_agg(answered_at order by answered_at)
          filter (where answered and not handed_off and not came_back) as resolvable_answers
      from conv group by 1
    ), turns as (
      select ${hourOf("tm.created_at")} as hour, count(*) as turns,
        count(*) filter (where tm.outcome like 'degraded:%') as degraded,
        sum(tm.prompt_tokens) as prompt_tokens, sum(tm.completion_tokens) as completion_tokens,
        sum(tm.cost_usd::numeric) as cost_usd
      from ${ranges} r
      cross join lateral (select outcome, prompt_tokens, completion_tokens, cost_usd, created_at from turn_metrics
        where created_at >= r.lo and created_at < r.hi offset 0) tm
      group by 1
    ), failed as (
      -- A turn that failed outright leaves no turn_metrics row, only its apology.
      select ${hourOf("m.created_at")} as hour, count(*) as failed
      from ${ranges} r
      cross join lateral (select created_at from messages where created_at >= r.lo and created_at < r.hi
        and role = 'assistant' and meta->>'outcome' like 'failed:%' offset 0) m
      group by 1
    ), ratings as (
      select ${hourOf("f.created_at")} as hour,
        count(*) filter (where f.rating = 'up') as thumbs_up, count(*) filter (where f.rating = 'down') as thumbs_down
      from ${ranges} r
      cross join lateral (select created_at, rating from feedback where created_at >= r.lo and created_at < r.hi offset 0) f
      group by 1
    )
    select hour, coalesce(conversations, 0)::int, coalesce(handoffs, 0)::int,
      coalesce(resolvable_answers, '{}')::timestamptz[], coalesce(turns, 0)::int,
      coalesce(degraded, 0)::int, coalesce(failed, 0)::int, coalesce(prompt_tokens, 0)::bigint,
      coalesce(completion_tokens, 0)::bigint, coalesce(cost_usd, 0)::numeric, coalesce(thumbs_up, 0)::int,
      coalesce(thumbs_down, 0)::int
    from conversations full join turns using (hour) full join failed using (hour) full join ratings using (hour)`;
}

/**
 * Per hour, kind of turn and exact total_ms: how many turns. Kind is what the turn looked up: order (get_order,
 * wins over search_kb), knowledge (search_kb), none (no tool) or other (only ticket or handoff tools).
 */
export function hourlyLatency(ranges: SQL): SQL {
  return sql`
    select ${hourOf("tm.created_at")} as hour,
      case when k.orders > 0 then 'order' when k.searches > 0 then 'knowledge'
        when tm.tool_calls = 0 then 'none' else 'other' end as kind,
      tm.total_ms, count(*)::int as turns
    from ${ranges} r
    cross join lateral (select thread_id, turn_id, tool_calls, total_ms, created_at from turn_metrics
      where created_at >= r.lo and created_at < r.hi offset 0) tm
    cross join lateral (
      select count(*) filter (where c.tool = 'get_order') as orders,
        count(*) filter (where c.tool = 'search_kb') as searches
      from tool_calls c where c.thread_id = tm.thread_id and c.turn_id = tm.turn_id
    ) k
    group by 1, 2, 3`;
}

/** Per hour, tool, the conversation's channel, status and exact latency_ms: how many calls. */
export function hourlyToolCalls(ranges: SQL): SQL {
  return sql`
    select ${hourOf("c.created_at")} as hour, c.tool, t.channel, c.status, c.latency_ms, count(*)::int as calls
    from ${ranges} r
    cross join lateral (select thread_id, tool, status, latency_ms, created_at from tool_calls
      where created_at >= r.lo and created_at < r.hi offset 0) c
    join threads t on t.id = c.thread_id
    group by 1, 2, 3, 4, 5`;
}

/**
 * The window's hours as CTEs for a read: `plan` lists every UTC hour that overlaps [since, until) with
 * `rolled` (rolled up and wholly inside the window: read from the rollup tables), and `live` the ranges left
 * to compute from raw rows (the partial first and last hour, and every hour not rolled up).
 */
export function windowPlan(since: string, until: string): SQL {
  return sql`
    plan as materialized (
      select h.hour, (r.hour is not null and h.hour >= ${since}::timestamptz
          and h.hour + interval '1 hour' <= ${until}::timestamptz) as rolled,
        greatest(h.hour, ${since}::timestamptz) as lo, least(h.hour + interval '1 hour', ${until}::timestamptz) as hi
      from generate_series(date_trunc('hour', ${since}::timestamptz, 'UTC'), ${until}::timestamptz,
        interval '1 hour') as h(hour)
      left join rollup_hours r on r.hour = h.hour
    ), live as materialized (select lo, hi from plan where not rolled and lo < hi)`;
}

/** A histogram the rollup keeps per hour and per window: latency_hourly/latency_windows, tool_calls_*. */
export interface HistogramRollup {
  hourly: "latency_hourly" | "tool_calls_hourly";
  windows: "latency_windows" | "tool_calls_windows";
  /** The columns that tell rows apart, the same in both tables and in the live rows. */
  keys: string;
  count: "turns" | "calls";
}

export const LATENCY_ROLLUP: HistogramRollup = {
  hourly: "latency_hourly",
  windows: "latency_windows",
  keys: "kind, total_ms",
  count: "turns",
};

export const TOOL_CALLS_ROLLUP: HistogramRollup = {
  hourly: "tool_calls_hourly",
  windows: "tool_calls_windows",
  keys: "tool, channel, status, latency_ms",
  count: "calls",
};

/**
 * The rolled-up hours of a window (`plan`'s rolled hours) as rows (keys..., n), to be summed by key: the sum
 * the last rollup kept for a window of this length (rollup_windows: the rollup rewrites it whenever an hour's
 * rows change, so it always equals the hourly rows of its span), minus the hours of that span the plan does
 * not read as rolled up, plus the plan's rolled hours outside the span. That is a handful of hours instead of
 * a month of exact values. Without a kept sum, every rolled hour is read.
 */
export function rolledHistogram(rollup: HistogramRollup, since: string, until: string): SQL {
  const keys = sql.raw(rollup.keys);
  const count = sql.raw(rollup.count);
  const hourly = sql.raw(rollup.hourly);
  const hours = sql`round(extract(epoch from ${until}::timestamptz - ${since}::timestamptz) / 3600)::int`;
  const byHour = (set: SQL, sign: SQL) => sql`
    select f.* from (${set}) s(hour)
    cross join lateral (select ${keys}, ${sign}${count} as n from ${hourly} where hour = s.hour offset 0) f`;
  return sql`
    select ${keys}, ${count} as n from ${sql.raw(rollup.windows)}
    where hours = ${hours} and exists (select 1 from rollup_windows where hours = ${hours})
    union all ${byHour(
      sql`select h from rollup_windows w,
        generate_series(w.span_from, w.span_to - interval '1 hour', interval '1 hour') h
        where w.hours = ${hours} and h not in (select hour from plan where rolled)`,
      sql.raw("-"),
    )}
    union all ${byHour(
      sql`select hour from plan p where p.rolled and not exists (select 1 from rollup_windows w
        where w.hours = ${hours} and p.hour >= w.span_from and p.hour < w.span_to)`,
      sql.raw(""),
    )}`;
}
