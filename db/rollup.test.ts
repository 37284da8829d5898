import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedShopMonth } from "../bench/console-seed.ts";
import { type MetricsWindow, windowRange } from "../core/contracts/metrics.ts";
import { type DbHandle, openDb } from "./client.ts";
import { type LocalPostgres, startLocalPostgres } from "./local-postgres.ts";
import { overviewMetrics } from "./metrics.ts";
import { migrateDatabase } from "./migrate.ts";
import { rollUpHours } from "./rollup.ts";
import { toolCallStats } from "./tool-stats.ts";

const WINDOWS: MetricsWindow[] = ["24h", "7d", "30d"];
const HOUR = 3_600_000;

let pg: LocalPostgres;
let handle: DbHandle;
/** Pinned after seeding, so every read below has the same windows. */
let NOW: Date;

const exec = (text: string) => pg.db.exec(text);
const rows = async (text: string) => (await pg.db.query<Record<string, unknown>>(text)).rows;
const ago = (hours: number) => `'${new Date(NOW.getTime() - hours * HOUR).toISOString()}'::timestamptz`;

/** Every figure of the Overview and the Tools page, for each window, as the admin API would answer at `at`. */
async function figures(at = NOW) {
  const tools = (await rows("select distinct tool from tool_calls")).map((r) => String(r.tool));
  const channels = (await rows("select distinct channel from threads")).map((r) => String(r.channel));
  const out: Record<string, unknown> = {};
  for (const window of WINDOWS) {
    out[`metrics ${window}`] = await overviewMetrics(handle.db, window, at);
    const { since, until } = windowRange(window, at);
    const stats = await toolCallStats(handle.db, since, until);
    for (const tool of [...tools, "*"])
      for (const channel of [...channels, "*"])
        out[`tools ${window} ${tool}|${channel}`] = stats.get(tool, channel);
  }
  return out;
}

/** The same figures computed from raw rows only: the rollup's markers and window sums set aside meanwhile. */
async function fromRawRows(at = NOW) {
  const hours = await rows("select hour, rolled_at from rollup_hours");
  const windows = await rows("select * from rollup_windows");
  await exec("delete from rollup_hours; delete from rollup_windows;");
  try {
    return await figures(at);
  } finally {
    for (const h of hours)
      await pg.db.query("insert into rollup_hours (hour, rolled_at) values ($1, $2)", [h.hour, h.rolled_at]);
    for (const w of windows)
      await pg.db.query("insert into rollup_windows values ($1, $2, $3, $4)", [
        w.hours,
        w.span_from,
        w.span_to,
        w.built_at,
      ]);
  }
}

/** The rollup's tables, without the times it ran. */
async function rollupTables() {
  return {
    hours: await rows("select hour from rollup_hours order by 1"),
    metrics: await rows("select * from metrics_hourly order by hour"),
    latency: await rows("select * from latency_hourly order by hour, kind, total_ms"),
    tools: await rows(
      "select * from tool_calls_hourly order by hour, tool, channel, status, latency_ms, calls",
    ),
    windows: await rows("select hours, span_from, span_to from rollup_windows order by 1"),
    latencyWindows: await rows("select * from latency_windows order by 1, 2, 3"),
    toolWindows: await rows("select * from tool_calls_windows order by 1, 2, 3, 4, 5, 6"),
  };
}

/** A conversation as SQL rows: messages at hours before NOW, the assistant's with its outcome. */
async function conversation(
  id: string,
  startedHoursAgo: number,
  steps: { role: string; hoursAgo: number; outcome?: string }[],
) {
  await exec(
    `insert into threads (id, channel, status, created_at) values ('${id}', 'web', 'open', ${ago(startedHoursAgo)})`,
  );
  for (const [i, s] of steps.entries()) {
    const meta = s.outcome ? `'{"outcome":"${s.outcome}","turnId":"${id}-${i}"}'` : "null";
    await exec(`insert into messages (id, thread_id, seq, role, content, meta, created_at)
      values (gen_random_uuid(), '${id}', ${i + 1}, '${s.role}', '…', ${meta}, ${ago(s.hoursAgo)})`);
  }
}

beforeAll(async () => {
  pg = await startLocalPostgres();
  await migrateDatabase(pg.url);
  handle = openDb(pg.url, { max: 1 });
  await seedShopMonth(pg.db, 3000);
  NOW = new Date();
  // Conversations whose figures span hours: the visitor came back the next hour (not resolved); a person
  // replied a day later (handed off); the last answer is 20 hours old (pending); a handoff row only.
  await conversation("00000000-0000-4000-8000-000000000001", 50, [
    { role: "user", hoursAgo: 50 },
    { role: "assistant", hoursAgo: 49.99, outcome: "answered" },
    { role: "user", hoursAgo: 49 },
  ]);
  await conversation("00000000-0000-4000-8000-000000000002", 30, [
    { role: "user", hoursAgo: 30 },
    { role: "assistant", hoursAgo: 29.99, outcome: "answered" },
    { role: "staff", hoursAgo: 3 },
  ]);
  await conversation("00000000-0000-4000-8000-000000000003", 26, [
    { role: "user", hoursAgo: 26 },
    { role: "assistant", hoursAgo: 25.99, outcome: "answered" },
    { role: "user", hoursAgo: 20.01 },
    { role: "assistant", hoursAgo: 20, outcome: "answered" },
  ]);
  await conversation("00000000-0000-4000-8000-000000000004", 40, [
    { role: "user", hoursAgo: 40 },
    { role: "assistant", hoursAgo: 39.99, outcome: "answered" },
  ]);
  await exec(`insert into handoffs (call_id, thread_id, reason, excerpt, created_at)
    values ('h-4', '00000000-0000-4000-8000-000000000004', 'asked', '…', ${ago(2)})`);
}, 180_000);

afterAll(async () => {
  await handle?.close();
  await pg?.stop();
});

// Every check reads a month of figures three ways; PGlite takes seconds for that on a busy machine.
describe("the hourly rollup", { timeout: 180_000 }, () => {
  it("gives the very figures the live path gives, for every window, and is idempotent", async () => {
    const live = await figures();
    const first = await rollUpHours(handle.db, NOW);
    expect(first).toEqual({ hours: 720, busy: 0, pruned: 0 });
    // The rollup holds the month: every turn of its complete hours.
    const [held] = await rows(`select (select sum(turns) from metrics_hourly) as rolled,
      (select count(*) from turn_metrics where created_at >= date_trunc('hour', ${ago(0)}, 'UTC') - interval '720 hours'
        and created_at < date_trunc('hour', ${ago(0)}, 'UTC')) as raw`);
    expect(Number(held?.rolled)).toBeGreaterThan(2000);
    expect(Number(held?.rolled)).toBe(Number(held?.raw));
    expect(await figures()).toEqual(live);

    const tables = await rollupTables();
    expect(await rollUpHours(handle.db, NOW)).toEqual({ hours: 0, busy: 0, pruned: 0 });
    expect(await rollupTables()).toEqual(tables);
    await exec("delete from rollup_hours");
    expect((await rollUpHours(handle.db, NOW)).hours).toBe(720);
    expect(await rollupTables()).toEqual(tables);

    // Reads an hour or two either side of the rollup: window sums corrected by the hours that differ.
    for (const at of [new Date(NOW.getTime() - HOUR), new Date(NOW.getTime() + 2 * HOUR)]) {
      expect(await figures(at)).toEqual(await fromRawRows(at));
    }
  });

  it("reads rolled-up hours from the rollup, and an hour written to later live again", async () => {
    await rollUpHours(handle.db, NOW);
    const before = await figures();
    // Behind the triggers' back (replica mode skips them): the rolled-up figures do not see this turn.
    await exec(`begin; set local session_replication_role = replica;
      insert into turn_metrics (turn_id, thread_id, channel, brain, outcome, total_ms, created_at)
        values ('hidden', gen_random_uuid(), 'web', 'llm', 'answered', 99999, ${ago(100)}); commit;`);
    expect(await figures()).toEqual(before);
    expect(await fromRawRows()).not.toEqual(before);
    await exec("delete from turn_metrics where turn_id = 'hidden'");

    // Late writes: a visitor back in an old conversation, a rating changed, a queued call settled.
    const [old] =
      await rows(`select t.id, max(m.seq) as seq from threads t join messages m on m.thread_id = t.id
      where t.created_at < ${ago(200)} group by t.id order by t.id limit 1`);
    await exec(`insert into messages (id, thread_id, seq, role, content, created_at)
      select gen_random_uuid(), '${old?.id}', ${Number(old?.seq) + 1}, 'user', 'again', max(created_at) + interval '2 hours'
      from messages where thread_id = '${old?.id}'`);
    await exec(`update feedback set rating = 'down', created_at = ${ago(0.5)}
      where message_id = (select message_id from feedback where rating = 'up' and created_at < ${ago(300)} limit 1)`);
    await exec(`update tool_calls set status = 'failed', updated_at = now()
      where id = (select id from tool_calls where status = 'succeeded' and created_at < ${ago(400)} limit 1)`);
    const [left] = await rows("select count(*)::int as n from rollup_hours");
    expect(Number(left?.n)).toBeLessThan(720);
    expect(await figures()).toEqual(await fromRawRows());
    expect(await figures()).not.toEqual(before);

    const again = await rollUpHours(handle.db, NOW);
    expect(again.hours).toBe(720 - Number(left?.n));
    expect(await figures()).toEqual(await fromRawRows());
  });
});
