/**
 * The ops Overview's figures, computed in Postgres from threads, messages, handoffs, turn_metrics, tool_calls
 * and feedback (nothing is kept twice): per UTC day and summed over the window, plus reply latency by turn
 * kind. Read by GET /api/admin/metrics and the console's Overview page. `now` comes in so tests can pin it.
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

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const dayOf = (column: string) =>
  sql.raw(`to_char(date_trunc('day', ${column} at time zone 'UTC'), 'YYYY-MM-DD')`);

export async function overviewMetrics(
  db: Database,
  window: MetricsWindow,
  now = new Date(),
): Promise<Metrics> {
  const { since, until } = windowRange(window, now);
  const [conversations, turns, failed, ratings, latency] = await guarded("metrics.overview", () =>
    Promise.all([
      db.execute<Row>(conversationsByDay(since, until)),
      db.execute<Row>(sql`
        select ${dayOf("created_at")} as day, count(*) as turns,
          count(*) filter (where outcome like 'degraded:%') as degraded,
          sum(prompt_tokens) as prompt_tokens, sum(completion_tokens) as completion_tokens, sum(cost_usd) as cost_usd
        from turn_metrics
        where created_at >= ${since}::timestamptz and created_at < ${until}::timestamptz
        group by 1`),
      // A turn that failed outright leaves no turn_metrics row, only its apology.
      db.execute<Row>(sql`
        select ${dayOf("created_at")} as day, count(*) as failed
        from messages
        where role = 'assistant' and meta->>'outcome' like 'failed:%'
          and created_at >= ${since}::timestamptz and created_at < ${until}::timestamptz
        group by 1`),
      db.execute<Row>(sql`
        select ${dayOf("created_at")} as day,
          count(*) filter (where rating = 'up') as up, count(*) filter (where rating = 'down') as down
        from feedback
        where created_at >= ${since}::timestamptz and created_at < ${until}::timestamptz
        group by 1`),
      db.execute<Row>(latencyByKind(since, until)),
    ]),
  );

  const days = new Map<string, MetricsDay>();
  for (const day of utcDays(since, until)) days.set(day, emptyDay(day));
  const at = (row: Row) => days.get(String(row.day));
  for (const row of conversations) {
    const d = at(row);
    if (!d) continue;
    d.conversations = num(row.conversations);
    d.resolved = num(row.resolved);
    d.handoffs = num(row.handoffs);
  }
  for (const row of turns) {
    const d = at(row);
    if (!d) continue;
    d.turns += num(row.turns);
    d.degraded = num(row.degraded);
    d.promptTokens = num(row.prompt_tokens);
    d.completionTokens = num(row.completion_tokens);
    d.costUsd = num(row.cost_usd);
  }
  for (const row of failed) {
    const d = at(row);
    if (!d) continue;
    d.failed = num(row.failed);
    d.turns += d.failed;
  }
  for (const row of ratings) {
    const d = at(row);
    if (!d) continue;
    d.thumbsUp = num(row.up);
    d.thumbsDown = num(row.down);
  }

  const series = [...days.values()];
  const total = (key: keyof Omit<MetricsDay, "day">) => series.reduce((sum, d) => sum + d[key], 0);
  const pending = conversations.reduce((sum, row) => sum + num(row.pending), 0);
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
 * Conversations started in the window, by day: how many, how many went to a person (a handoff row, a handoff
 * outcome or a staff reply), how many are resolved (RESOLUTION_DEFINITION) and how many are still pending.
 */
function conversationsByDay(since: string, until: string) {
  return sql`
    with conv as (
      select t.created_at,
        (exists (select 1 from handoffs h where h.thread_id = t.id)
          or exists (select 1 from messages m where m.thread_id = t.id
            and (m.role = 'staff' or (m.role = 'assistant' and m.meta->>'outcome' like 'handoff:%')))) as handed_off,
        coalesce(last.outcome like 'answered%', false) as answered,
        last.created_at as answered_at,
        exists (select 1 from messages u where u.thread_id = t.id and u.role = 'user' and u.seq > last.seq
          and u.created_at <= last.created_at + interval '24 hours') as came_back
      from threads t
      left join lateral (
        select m.seq, m.created_at, m.meta->>'outcome' as outcome from messages m
        where m.thread_id = t.id and m.role = 'assistant' order by m.seq desc limit 1
      ) last on true
      where t.created_at >= ${since}::timestamptz and t.created_at < ${until}::timestamptz
    ), judged as (
      select created_at, handed_off,
        answered and not handed_off and not came_back as looks_resolved,
        answered_at > ${until}::timestamptz - interval '24 hours' as recent
      from conv
    )
    select ${dayOf("created_at")} as day, count(*) as conversations,
      count(*) filter (where handed_off) as handoffs,
      count(*) filter (where looks_resolved and not recent) as resolved,
      count(*) filter (where looks_resolved and recent) as pending
    from judged group by 1`;
}

/** p50/p95 (nearest rank) of the whole turn's time by what the turn looked up. */
function latencyByKind(since: string, until: string) {
  return sql`
    select kind, count(*) as turns,
      percentile_disc(0.5) within group (order by total_ms) as p50,
      percentile_disc(0.95) within group (order by total_ms) as p95
    from (
      select tm.total_ms,
        case
          when exists (select 1 from tool_calls c where c.thread_id = tm.thread_id and c.turn_id = tm.turn_id
            and c.tool = 'get_order') then 'order'
          when exists (select 1 from tool_calls c where c.thread_id = tm.thread_id and c.turn_id = tm.turn_id
            and c.tool = 'search_kb') then 'knowledge'
          when tm.tool_calls = 0 then 'none'
          else 'other'
        end as kind
      from turn_metrics tm
      where tm.created_at >= ${since}::timestamptz and tm.created_at < ${until}::timestamptz
    ) k
    group by kind order by kind`;
}

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
