/**
 * A shop's month of ops data for bench:console and the rollup tests (db/rollup.test.ts): conversations,
 * messages, turn metrics, tool calls, handoffs and thumbs generated inside Postgres, spread over the 30 days
 * before the last hour.
 */
import type { PGlite } from "@electric-sql/pglite";

/**
 * A month of traffic, generated inside Postgres: 2.5 turns per conversation, 75% web, 15% Slack, 10% email;
 * per turn a visitor message and the agent's reply; 45% search_kb, 20% get_order, 5% create_ticket (queued);
 * 4% hand off, 2% degrade, 1% fail outright; 10% of replies rated (80% up); tool calls mostly succeed.
 */
export async function seedShopMonth(db: PGlite, count: number): Promise<void> {
  const conversations = Math.max(1, Math.round(count / 2.5));
  await db.exec(`
    create temp table bt as
      select n, gen_random_uuid() as id,
        now() - interval '1 hour' - random() * interval '30 days' as created_at,
        (array['web','web','web','web','web','web','web','web','web','web','web','web','web','web','web',
          'slack','slack','slack','email','email'])[1 + floor(random() * 20)::int] as channel
      from generate_series(1, ${conversations}) n;
    insert into threads (id, channel, status, created_at, updated_at)
      select id, channel, 'open', created_at, created_at from bt;
    create temp table tt as
      select g.n, 'turn_' || g.n as turn_id, b.id as thread_id, b.channel, (g.n - 1) / ${conversations} + 1 as k,
        b.created_at + ((g.n - 1) / ${conversations}) * interval '7 minutes' as created_at,
        gen_random_uuid() as reply_id, random() as r, random() as r2, random() as r3
      from generate_series(1, ${count}) g(n) join bt b on b.n = ((g.n - 1) % ${conversations}) + 1;
    alter table tt add column outcome text, add column tool text;
    update tt set
      outcome = case when r < 0.04 then 'handoff:requested' when r < 0.06 then 'degraded:tool_unavailable'
        when r < 0.07 then 'failed:model' else 'answered' end,
      tool = case when r2 < 0.45 then 'search_kb' when r2 < 0.65 then 'get_order'
        when r2 < 0.70 then 'create_ticket' end;
    insert into messages (id, thread_id, seq, role, content, created_at)
      select gen_random_uuid(), thread_id, 2 * k - 1, 'user', 'A visitor question', created_at from tt;
    insert into messages (id, thread_id, seq, role, content, meta, created_at)
      select reply_id, thread_id, 2 * k, 'assistant', 'The agent''s reply',
        jsonb_build_object('turnId', turn_id, 'outcome', outcome), created_at + interval '1.2 seconds' from tt;
    insert into turn_metrics (turn_id, thread_id, channel, brain, model, outcome, tool_calls, total_ms, plan_ms,
        tools_ms, draft_ms, prompt_tokens, completion_tokens, cost_usd, created_at)
      select turn_id, thread_id, channel, 'llm', 'gpt-4o-mini', outcome, (tool is not null)::int,
        300 + floor(r3 * 2500)::int, 200, case when tool is null then 0 else 150 end, 300,
        800 + floor(r3 * 1200)::int, 50 + floor(r2 * 250)::int, 0.0004 + r3 * 0.002,
        created_at + interval '1.2 seconds'
      from tt where outcome <> 'failed:model';
    insert into tool_calls (id, thread_id, turn_id, tool, dispatch, status, error_code, latency_ms, created_at, updated_at)
      select 'call_' || n, thread_id, turn_id, tool, case when tool = 'create_ticket' then 'queue' else 'inline' end,
        case when tool = 'create_ticket' then (case when r3 < 0.97 then 'succeeded' else 'dead_lettered' end)
          when r3 < 0.95 then 'succeeded' when r3 < 0.99 then 'failed' else 'breaker_open' end,
        case when tool <> 'create_ticket' and r3 >= 0.95 and r3 < 0.99 then 'upstream:tool' end,
        case when tool = 'create_ticket' then 2 when r3 >= 0.99 then 0 else 20 + floor(r3 * 400)::int end,
        created_at + interval '0.5 seconds', created_at + interval '0.5 seconds'
      from tt where tool is not null;
    insert into handoffs (call_id, thread_id, reason, excerpt, status, created_at)
      select 'handoff_' || n, thread_id, 'asked for a person', 'A visitor question', 'waiting', created_at
      from tt where outcome = 'handoff:requested';
    insert into feedback (message_id, thread_id, rating, created_at)
      select reply_id, thread_id, case when r2 < 0.8 then 'up' else 'down' end, created_at + interval '1 minute'
      from tt where r3 < 0.10 and outcome <> 'failed:model';
    drop table tt; drop table bt;
    analyze;
  `);
}
