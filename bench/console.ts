/**
 * Ops console benchmark: seeds a shop's month (100,000 turns over 30 days by default, with their conversations,
 * messages, tool calls, handoffs and thumbs) into a local PGlite served by db/pglite-server.ts, starts the Worker
 * with `wrangler dev` against it, and times every GET /api/admin/* endpoint over HTTP as an admin script would
 * call it (sequential requests after a warm-up), after the hourly rollup (db/rollup.ts) has run once as the
 * cron would; then the console's pages an admin opens, timed the same way and weighed as served (HTML and the
 * stylesheets and scripts each links, raw and gzipped). Prints both tables; the goal is p95 <= 200 ms locally.
 * Run on demand, never as a timed test:
 *   npm run bench:console [-- --turns 100000 --requests 40 --port 8841 --db-port 54441 --no-rollup]
 */
import "../scripts/launcher.ts";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { sha256Hex } from "../core/ids.ts";
import { openDb } from "../db/client.ts";
import { startLocalPostgres } from "../db/local-postgres.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { rollUpHours } from "../db/rollup.ts";
import { addToken, createStaff } from "../db/staff.ts";
import { percentiles } from "../evals/retrieval-metrics.ts";
import { startWranglerDev } from "../scripts/wrangler-dev.ts";
import { seedShopMonth } from "./console-seed.ts";

const { values } = parseArgs({
  options: {
    turns: { type: "string", default: "100000" },
    requests: { type: "string", default: "40" },
    port: { type: "string", default: "0" },
    "db-port": { type: "string", default: "0" },
    // --no-rollup times the live path alone, as before the hourly cron has run.
    rollup: { type: "boolean", default: true },
  },
  allowNegative: true,
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

/** The console's pages an admin opens every morning (a staff API token stands in for the session). */
const PAGES = [
  "/console",
  "/console/overview?window=30d",
  "/console/tools?window=30d",
  "/console/budgets",
  "/console/knowledge",
  "/console/evals",
  "/console/staff",
];

/** One request's time, and its status: a failure is timed too and counted in the table. */
async function time(
  base: string,
  path: string,
  token = ADMIN_TOKEN,
): Promise<{ ms: number; status: number }> {
  const t0 = performance.now();
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return { ms: performance.now() - t0, status: response.status };
}

/** A page as served: its HTML and every stylesheet and script it links, raw and gzipped bytes. */
async function weigh(base: string, path: string, token: string) {
  const html = await (
    await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } })
  ).text();
  const linked = (pattern: RegExp) => [...html.matchAll(pattern)].map((m) => m[1] ?? "");
  const bodies = async (urls: string[]) =>
    Buffer.concat(
      await Promise.all(
        urls.map(async (u) => Buffer.from(await (await fetch(new URL(u, base))).arrayBuffer())),
      ),
    );
  const css = await bodies(linked(/<link rel="stylesheet" href="([^"]+)"/g));
  const js = await bodies(linked(/<script[^>]* src="([^"]+)"/g));
  const size = (b: Buffer) => (b.length === 0 ? "0" : `${b.length} / ${gzipSync(b).length}`);
  return { html: size(Buffer.from(html)), css: size(css), js: size(js) };
}

/** An admin with a staff API token, as `staff:add --role admin` makes one. */
async function consoleAdmin(url: string): Promise<string> {
  const token = `sa_staff_bench_${crypto.randomUUID()}`;
  const handle = openDb(url, { max: 1 });
  try {
    const admin = await createStaff(handle.db, {
      email: "bench.admin@fernhill.example",
      name: "Bench",
      role: "admin",
      passwordHash: null,
    });
    await addToken(handle.db, admin.id, await sha256Hex(token));
  } finally {
    await handle.close();
  }
  return token;
}

const pg = await startLocalPostgres({ port: Number(values["db-port"]) });
let stopDev = async () => {};
try {
  await migrateDatabase(pg.url);
  const t0 = performance.now();
  await seedShopMonth(pg.db, turns);
  const counts = await pg.db.query<{ t: string; n: number }>(
    `select 'threads' t, count(*)::int n from threads union all select 'messages', count(*)::int from messages
     union all select 'turn_metrics', count(*)::int from turn_metrics union all select 'tool_calls', count(*)::int from tool_calls
     union all select 'handoffs', count(*)::int from handoffs union all select 'feedback', count(*)::int from feedback`,
  );
  console.log(
    `seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${counts.rows.map((r) => `${r.n} ${r.t}`).join(", ")}`,
  );
  if (values.rollup) {
    const t1 = performance.now();
    const handle = openDb(pg.url, { max: 1 });
    const result = await rollUpHours(handle.db).finally(() => handle.close());
    console.log(
      `rolled up ${result.hours} hours in ${((performance.now() - t1) / 1000).toFixed(1)} s (the hourly cron's job, here once)`,
    );
  } else console.log("no rollup: every hour is computed live");
  const dev = await startWranglerDev({
    databaseUrl: pg.url,
    port: Number(values.port) || undefined,
    vars: { ADMIN_TOKEN, LOG_LEVEL: "warn" },
  });
  stopDev = dev.stop;
  console.log(`wrangler dev on ${dev.url}; ${requests} sequential requests per endpoint after 3 warm-ups`);
  const staffToken = await consoleAdmin(pg.url);
  const rows: { endpoint: string; p50: number; p95: number; failed: number }[] = [];
  for (const [path, token] of [
    ...ENDPOINTS.map((e) => [e, ADMIN_TOKEN] as const),
    ...PAGES.map((p) => [p, staffToken] as const),
  ]) {
    for (let i = 0; i < 3; i++) await time(dev.url, path, token);
    const samples: { ms: number; status: number }[] = [];
    for (let i = 0; i < requests; i++) samples.push(await time(dev.url, path, token));
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
  console.log("\n| console page (as served) | HTML B / gzipped | CSS B / gzipped | JS B / gzipped |");
  console.log("|---|---:|---:|---:|");
  for (const path of PAGES) {
    const w = await weigh(dev.url, path, staffToken);
    console.log(`| ${path} | ${w.html} | ${w.css} | ${w.js} |`);
  }
  // The goal is the admin API's; the pages are shown beside it.
  const api = rows.filter((r) => r.endpoint.startsWith("GET /api/admin/"));
  const worst = Math.max(...api.map((r) => r.p95));
  const failures = rows.reduce((n, r) => n + r.failed, 0);
  console.log(
    `\nworst /api/admin p95 ${worst.toFixed(1)} ms (goal <= 200 ms): ${worst <= 200 && failures === 0 ? "met" : "NOT met"}; ${failures} responses not 200`,
  );
} finally {
  await stopDev();
  await pg.stop();
}
