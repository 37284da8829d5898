import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { threads, turnMetrics } from "../db/schema.ts";
import { query } from "../test-tools/remote-controls.ts";
import worker from "./index.ts";
import { ROLLUP_CRON } from "./rollup-job.ts";

const HOUR = 3_600_000;

/** A turn three hours ago with a latency nobody else records, so its rollup row is recognisable. */
async function oldTurn() {
  const threadId = crypto.randomUUID();
  const at = new Date(Date.now() - 3 * HOUR);
  const totalMs = 900_000 + Math.floor(Math.random() * 90_000);
  await query(async (db) => {
    await db.insert(threads).values({ id: threadId, channel: "web", status: "open", createdAt: at });
    await db.insert(turnMetrics).values({
      turnId: `rollup-${threadId}`,
      threadId,
      channel: "web",
      brain: "offline",
      outcome: "answered",
      totalMs,
      createdAt: at,
    });
  });
  return { totalMs, hour: new Date(Math.floor(at.getTime() / HOUR) * HOUR) };
}

const rolledUp = (turn: { totalMs: number; hour: Date }) =>
  query(async (db) => {
    const rows = await db.execute<{ turns: number; marked: boolean }>(sql`
      select l.turns, exists (select 1 from rollup_hours r where r.hour = l.hour) as marked
      from latency_hourly l where l.hour = ${turn.hour.toISOString()}::timestamptz and l.total_ms = ${turn.totalMs}`);
    return rows.map((r) => ({ turns: Number(r.turns), marked: r.marked }));
  });

describe("the hourly cron", () => {
  it("rolls up the complete hours", async () => {
    const turn = await oldTurn();
    expect(await rolledUp(turn)).toEqual([]);
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: ROLLUP_CRON }), env);
    expect(await rolledUp(turn)).toEqual([{ turns: 1, marked: true }]);
  });
});
