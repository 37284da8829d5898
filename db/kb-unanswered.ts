/**
 * Reads the questions the agent could not answer in the last `days` days and groups them
 * (core/knowledge/unanswered.ts): search_kb calls that found no passage or whose reply cited none, and the
 * visitor message before each reply rated down. The search query in tool_calls is already PII-masked; the
 * rated-down message is masked by the grouping. For GET /api/admin/kb/unanswered and the Knowledge page.
 */
import { sql } from "drizzle-orm";
import { groupUnanswered, type UnansweredGroup, type UnansweredRow } from "../core/knowledge/unanswered.ts";
import type { Database } from "./client.ts";
import { guarded } from "./db-error.ts";

/** Rows read per kind: enough for a month at a busy shop, bounded so the page stays fast. */
const MAX_ROWS = 2000;

interface Row extends Record<string, unknown> {
  text: string | null;
  reason: string;
  thread_id: string;
  at: string | Date;
}

export async function unansweredQuestions(
  db: Database,
  options: { days: number; limit?: number; now?: Date },
): Promise<{ since: string; groups: UnansweredGroup[] }> {
  const since = new Date((options.now ?? new Date()).getTime() - options.days * 86_400_000);
  const [misses, ratedDown] = await guarded("kb.unanswered", async () => [
    await db.execute<Row>(sql`
      select tc.args->>'query' as text,
        case when jsonb_array_length(coalesce(tc.result->'results', '[]'::jsonb)) = 0 then 'no_hit'
          else 'not_cited' end as reason,
        tc.thread_id, tc.created_at as at
      from tool_calls tc
      -- Newest first, one reply looked up per search (messages_turn_idx), until the limit is reached.
      left join lateral (select m.id, m.citations from messages m where m.thread_id = tc.thread_id
        and m.role = 'assistant' and m.meta->>'turnId' = tc.turn_id limit 1) m on true
      where tc.tool = 'search_kb' and tc.status = 'succeeded' and tc.created_at >= ${since.toISOString()}::timestamptz
        and (jsonb_array_length(coalesce(tc.result->'results', '[]'::jsonb)) = 0
          or (m.id is not null and jsonb_array_length(coalesce(m.citations, '[]'::jsonb)) = 0))
      order by tc.created_at desc limit ${MAX_ROWS}`),
    await db.execute<Row>(sql`
      select q.content as text, 'rated_down' as reason, f.thread_id, f.created_at as at
      from feedback f
      -- Lateral lookups by key: as a join, the planner hashed the whole messages table for them.
      cross join lateral (select a.thread_id, a.seq from messages a where a.id = f.message_id limit 1) a
      left join lateral (select u.content from messages u
        where u.thread_id = a.thread_id and u.role = 'user' and u.seq < a.seq order by u.seq desc limit 1) q on true
      where f.rating = 'down' and f.created_at >= ${since.toISOString()}::timestamptz
      order by f.created_at desc limit ${MAX_ROWS}`),
  ]);
  const rows: UnansweredRow[] = [...misses, ...ratedDown].flatMap((r) =>
    r.text && isReason(r.reason)
      ? [{ text: r.text, reason: r.reason, threadId: r.thread_id, at: new Date(r.at) }]
      : [],
  );
  return { since: since.toISOString(), groups: groupUnanswered(rows, options.limit) };
}

function isReason(value: string): value is UnansweredRow["reason"] {
  return value === "no_hit" || value === "not_cited" || value === "rated_down";
}
