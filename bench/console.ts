/**
 * Ops console benchmark: seeds a shop's month (100,000 turns over 30 days by default, with their conversations,
 * messages, tool calls, handoffs and thumbs) into a local PGlite served by db/pglite-server.ts, starts the Worker
 * with `wrangler dev` against it, and times every GET /api/admin/* endpoint over HTTP as an admin script would
 * call it (sequential requests after a warm-up). Prints a p50/p95 table; the goal is p95 <= 200 ms locally.
 * Run on demand, never as a timed test:
 *   npm run bench:console [-- --turns 100000 --requests 40 --port 8841 --db-port 54441]
 */
import "../scripts/launcher.ts";
import { parseArgs } from "node:util";
import type { PGlite } from "@electric-sql/pglite";
import { startLocalPostgres } from "../db/local-postgres.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { percentiles } from "../evals/retrieval-metrics.ts";
import { startWranglerDev } from "../scripts/wrangler-dev.ts";

const { values } = parseArgs({
  options: {
    turns: { type: "string", default: "100000" },
    requests: { type: "string", default: "40" },
    port: { type: "string", default: "0" },
    "db-port": { type: "string", default: "0" },
  },
});
const turns = Number(values.turns);
const requests = Number(values.requests);
const ADMIN_TOKEN = "bench-console-admin-token-0123456789";

/** The GET endpoints under /api/admin, each as an admin script calls it. */
const ENDPOINTS = [
  "/api/admin/metrics?window=24h",
  "/api/admin/metrics?window=7d",
  "/api/admin/metrics?window=30d",
  "/api/admin/tools?window=24h",
  "/api/admin/tools?window=7d",
  "/api/admin/tools?window=30d",
  "/api/admin/budgets",
  "/api/admin/kb",
  "/api/admin/kb/unanswered",
  "/api/admin/evals",
  "/api/admin/webhooks",
];

/**
 * A month of traffic, generated inside Postgres: 2.5 turns per conversation, 75% web, 15% Slack, 10% email;
 * per turn a visitor message and the agent's reply; 45% search_kb, 20% get_order, 5% create_ticket (queued);
 * 4% hand off, 2% degrade, 1% fail outright; 10% of replies rated (80% up); tool calls mostly succeed.
 */
async function seed(db: PGlite, count: number): Promise<void> {
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

/** One request's time, and its status: a failure is timed too and counted in the table. */
async function time(base: string, path: string): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  await response.arrayBuffer();
  return { ms: performance.now() - t0, status: response.status };
}

const pg = await startLocalPostgres({ port: Number(values["db-port"]) });
let stopDev = async () => {};
try {
  await migrateDatabase(pg.url);
  const t0 = performance.now();
  await seed(pg.db, turns);
  const counts = await pg.db.query<{ t: string; n: number }>(
    `select 'threads' t, count(*)::int n from threads union all select 'messages', count(*)::int from messages
     union all select 'turn_metrics', count(*)::int from turn_metrics union all select 'tool_calls', count(*)::int from tool_calls
     union all select 'handoffs', count(*)::int from handoffs union all select 'feedback', count(*)::int from feedback`,
  );
  console.log(
    `seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${counts.rows.map((r) => `${r.n} ${r.t}`).join(", ")}`,
  );
  const dev = await startWranglerDev({
    databaseUrl: pg.url,
    port: Number(values.port) || undefined,
    vars: { ADMIN_TOKEN, LOG_LEVEL: "warn" },
  });
  stopDev = dev.stop;
  console.log(`wrangler dev on ${dev.url}; ${requests} sequential requests per endpoint after 3 warm-ups`);
  const rows: { endpoint: string; p50: number; p95: number; failed: number }[] = [];
  for (const path of ENDPOINTS) {
    for (let i = 0; i < 3; i++) await time(dev.url, path);
    const samples: { ms: number; status: number }[] = [];
    for (let i = 0; i < requests; i++) samples.push(await time(dev.url, path));
    const failed = samples.filter((s) => s.status !== 200).length;
    rows.push({ endpoint: `GET ${path}`, ...percentiles(samples.map((s) => s.ms)), failed });
  }
  const width = Math.max(...rows.map((r) => r.endpoint.length));
  console.log(`\n| ${"endpoint".padEnd(width)} | p50 ms | p95 ms | not 200 |`);
  console.log(`|${"-".repeat(width + 2)}|-------:|-------:|--------:|`);
  for (const r of rows)
    console.log(
      `| ${r.endpoint.padEnd(width)} | ${r.p50.toFixed(1).padStart(6)} | ${r.p95.toFixed(1).padStart(6)} | ${String(r.failed).padStart(7)} |`,
    );
  const worst = Math.max(...rows.map((r) => r.p95));
  const failures = rows.reduce((n, r) => n + r.failed, 0);
  console.log(
    `\nworst p95 ${worst.toFixed(1)} ms (goal <= 200 ms): ${worst <= 200 && failures === 0 ? "met" : "NOT met"}; ${failures} responses not 200`,
  );
} finally {
  await stopDev();
  await pg.stop();
}
