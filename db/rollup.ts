/**
 * The hourly rollup, run by the hourly cron (worker/index.ts `scheduled`) and by bench:console: stores
 * metrics_hourly, latency_hourly and tool_calls_hourly (db/metrics-hourly.ts) for every complete UTC hour of
 * the longest admin window that is not rolled up yet: new hours, and hours a late write made live again
 * (migration 0011's triggers delete their rollup_hours row). Rollups older than any window reaches are
 * dropped, and each window's histograms are summed over its complete hours (rollup_windows). A rerun finds
 * nothing new to do; a rolled-up hour computed again gives the same rows.
 */
import { sql } from "drizzle-orm";
import { WINDOW_HOURS } from "../core/contracts/metrics.ts";
import type { Database } from "./client.ts";
import { guarded } from "./db-error.ts";
import {
  hourlyFigures,
  hourlyLatency,
  hourlyToolCalls,
  LATENCY_ROLLUP,
  METRICS_HOURLY_COLUMNS,
  TOOL_CALLS_ROLLUP,
} from "./metrics-hourly.ts";

const HOUR_MS = 3_600_000;
const MAX_WINDOW_HOURS = Math.max(...Object.values(WINDOW_HOURS));
/** Hours per statement: a first run over a month of data reads it a week at a time. */
const BATCH_HOURS = 168;
/** Pairs with pg_advisory_xact_lock_shared(7310, hour) in the triggers of migration 0011. */
const LOCK_CLASS = 7310;

export interface RollupResult {
  /** Hours rolled up in this run. */
  hours: number;
  /** Hours left for the next run: a write to them was in progress. */
  busy: number;
  /** Rolled-up hours dropped because no window reaches them any more. */
  pruned: number;
}

export function rollUpHours(db: Database, now = new Date()): Promise<RollupResult> {
  const end = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const iso = (ms: number) => new Date(ms).toISOString();
  const start = iso(end - MAX_WINDOW_HOURS * HOUR_MS);
  // One transaction: the window sums must always equal the hourly rows of their span, and runs one at a time.
  return guarded("rollup.hours", () =>
    db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_CLASS}, -1)`);
      const missing = await tx.execute<{ hour: string }>(sql`
        select h::text as hour
        from generate_series(${start}::timestamptz, ${iso(end - HOUR_MS)}::timestamptz, interval '1 hour') h
        where not exists (select 1 from rollup_hours r where r.hour = h)`);
      let hours = 0;
      for (let i = 0; i < missing.length; i += BATCH_HOURS) {
        hours += await rollUpBatch(
          tx,
          missing.slice(i, i + BATCH_HOURS).map((r) => r.hour),
        );
      }
      const pruned = await tx.execute(
        sql`delete from rollup_hours where hour < ${start}::timestamptz returning hour`,
      );
      for (const table of ["metrics_hourly", "latency_hourly", "tool_calls_hourly"]) {
        await tx.execute(sql`delete from ${sql.identifier(table)} where hour < ${start}::timestamptz`);
      }
      for (const windowHours of Object.values(WINDOW_HOURS)) {
        await sumWindow(tx, windowHours, iso(end - (windowHours - 1) * HOUR_MS), iso(end));
      }
      return { hours, busy: missing.length - hours, pruned: pruned.length };
    }),
  );
}

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * Rolls up the hours of one batch that no write holds right now (a write to an hour holds its shared lock
 * until it commits, and waits for ours): the rows read here are then every row of those hours, and a write
 * that comes later deletes the hour's rollup_hours row again. Returns how many hours it rolled up.
 */
async function rollUpBatch(tx: Tx, batch: string[]): Promise<number> {
  const locked = await tx.execute<{ hour: string }>(sql`
    select h::text as hour from unnest(${pgArray(batch)}::timestamptz[]) h
    where pg_try_advisory_xact_lock(${LOCK_CLASS}, (extract(epoch from h) / 3600)::int)`);
  if (locked.length === 0) return 0;
  const hours = sql`${pgArray(locked.map((r) => r.hour))}::timestamptz[]`;
  const ranges = sql`(select h as lo, h + interval '1 hour' as hi from unnest(${hours}) h)`;
  for (const table of ["metrics_hourly", "latency_hourly", "tool_calls_hourly"]) {
    await tx.execute(sql`delete from ${sql.identifier(table)} where hour = any(${hours})`);
  }
  await tx.execute(sql`insert into metrics_hourly (${METRICS_HOURLY_COLUMNS}) ${hourlyFigures(ranges)}`);
  await tx.execute(sql`insert into latency_hourly (hour, kind, total_ms, turns) ${hourlyLatency(ranges)}`);
  await tx.execute(
    sql`insert into tool_calls_hourly (hour, tool, channel, status, latency_ms, calls) ${hourlyToolCalls(ranges)}`,
  );
  await tx.execute(sql`
    insert into rollup_hours (hour) select unnest(${hours})
    on conflict (hour) do update set rolled_at = now()`);
  return locked.length;
}

/** Sums the hourly histograms over a window's complete hours [from, to), for reads in the hour after `to`. */
async function sumWindow(tx: Tx, windowHours: number, from: string, to: string): Promise<void> {
  for (const rollup of [LATENCY_ROLLUP, TOOL_CALLS_ROLLUP]) {
    const keys = sql.raw(rollup.keys);
    const count = sql.raw(rollup.count);
    await tx.execute(sql`delete from ${sql.raw(rollup.windows)} where hours = ${windowHours}`);
    await tx.execute(sql`
      insert into ${sql.raw(rollup.windows)} (hours, ${keys}, ${count})
      select ${windowHours}, ${keys}, sum(${count}) from ${sql.raw(rollup.hourly)}
      where hour >= ${from}::timestamptz and hour < ${to}::timestamptz group by ${keys}`);
  }
  await tx.execute(sql`
    insert into rollup_windows (hours, span_from, span_to) values (${windowHours}, ${from}, ${to})
    on conflict (hours) do update set span_from = excluded.span_from, span_to = excluded.span_to, built_at = now()`);
}

/** A Postgres array literal of values we made ourselves (ISO timestamps): drizzle would spread a JS array. */
const pgArray = (values: string[]) => `{${values.map((v) => `"${v}"`).join(",")}}`;
