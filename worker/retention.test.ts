import { createScheduledController, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages, threads, toolCalls, turnMetrics } from "../db/schema.ts";
import { call, openThread, postMessage, readThread } from "../test-tools/agent-api.ts";
import { eventually, query } from "../test-tools/remote-controls.ts";
import worker from "./index.ts";

const tablesOf = (id: string) =>
  runInDurableObject(env.THREAD.getByName(id), async (_instance, state) => ({
    tables: state.storage.sql
      .exec("SELECT name FROM sqlite_master WHERE type = 'table'")
      .toArray()
      .filter((t) => !String(t.name).startsWith("_cf")),
    alarm: await state.storage.getAlarm(),
  }));

/** Waits until the thread's turn is in Postgres: its row, its messages and its metrics. */
async function recorded(threadId: string) {
  return eventually(async () => {
    const [rows, metrics] = await Promise.all([
      query((db) => db.select().from(messages).where(eq(messages.threadId, threadId))),
      query((db) => db.select().from(turnMetrics).where(eq(turnMetrics.threadId, threadId))),
    ]);
    return rows.length >= 2 && metrics.length >= 1 ? { rows, metrics } : undefined;
  });
}

describe("unknown thread ids cost nothing", () => {
  it("a read, a message and a rating for a random id answer 404 and leave no storage behind", async () => {
    const id = crypto.randomUUID();
    const auth = { authorization: `Bearer ${"x".repeat(43)}` };
    expect((await call(`/api/agent/thread/${id}`, { headers: auth })).status).toBe(404);
    expect((await postMessage({ thread_id: id, message: "hello?" }, { token: "x".repeat(43) })).status).toBe(
      404,
    );
    const rating = await call("/api/agent/feedback", {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ thread_id: id, message_id: crypto.randomUUID(), rating: "up" }),
    });
    expect(rating.status).toBe(404);
    expect(await tablesOf(id)).toEqual({ tables: [], alarm: null });
  });
});

describe("retention (the daily cron)", () => {
  it("deletes conversations idle for longer than RETENTION_DAYS, rows and storage, and keeps the metrics", async () => {
    const old = await openThread("How long do refunds take?");
    const recent = await openThread("Do you ship to Norway?");
    const before = await recorded(old.threadId);
    await recorded(recent.threadId);
    await query((db) =>
      db
        .update(threads)
        .set({ updatedAt: sql`now() - interval '366 days'` })
        .where(eq(threads.id, old.threadId)),
    );
    expect((await tablesOf(old.threadId)).tables.length).toBeGreaterThan(0);

    const controller = createScheduledController({ scheduledTime: Date.now(), cron: "23 3 * * *" });
    await worker.scheduled(controller, env);

    const gone = await query(async (db) => ({
      threads: await db.select().from(threads).where(eq(threads.id, old.threadId)),
      messages: await db.select().from(messages).where(eq(messages.threadId, old.threadId)),
      toolCalls: await db.select().from(toolCalls).where(eq(toolCalls.threadId, old.threadId)),
      metrics: await db.select().from(turnMetrics).where(eq(turnMetrics.threadId, old.threadId)),
    }));
    expect(gone).toMatchObject({ threads: [], messages: [], toolCalls: [] });
    expect(gone.metrics).toHaveLength(before.metrics.length);
    expect(await tablesOf(old.threadId)).toEqual({ tables: [], alarm: null });
    expect((await readThread(old.threadId, old.token)).status).toBe(404);

    // A conversation inside the period is untouched.
    expect((await readThread(recent.threadId, recent.token)).status).toBe(200);
    const kept = await query((db) => db.select().from(threads).where(eq(threads.id, recent.threadId)));
    expect(kept).toHaveLength(1);
  });
});
