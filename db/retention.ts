/**
 * Retention: conversations whose last activity is older than RETENTION_DAYS are deleted, with everything
 * recorded about them (messages, tool calls, feedback, tickets, handoffs, Slack mirrors, email addresses and
 * Message-IDs, dead letters).
 * turn_metrics stay: they hold ids, timings, tokens and outcomes only, the aggregates ops chart. Called by the
 * daily cron (worker/retention-job.ts), which erases each thread's Durable Object storage before its rows.
 */
import { inArray, lt } from "drizzle-orm";
import type { Database } from "./client.ts";
import { guarded } from "./db-error.ts";
import {
  deadLetters,
  emailMessages,
  emailThreads,
  feedback,
  handoffs,
  slackThreads,
  threads,
  tickets,
  toolCalls,
} from "./schema.ts";

/** Up to `limit` threads with no activity since `before`, oldest first. */
export function expiredThreads(db: Database, before: Date, limit: number): Promise<string[]> {
  return guarded("retention.expired", async () => {
    const rows = await db
      .select({ id: threads.id })
      .from(threads)
      .where(lt(threads.updatedAt, before))
      .orderBy(threads.updatedAt)
      .limit(limit);
    return rows.map((r) => r.id);
  });
}

/** Deletes these threads and their records in one transaction (messages go with their thread). */
export function deleteThreads(db: Database, ids: string[]): Promise<void> {
  if (ids.length === 0) return Promise.resolve();
  return guarded("retention.delete", () =>
    db.transaction(async (tx) => {
      await tx.delete(toolCalls).where(inArray(toolCalls.threadId, ids));
      await tx.delete(feedback).where(inArray(feedback.threadId, ids));
      await tx.delete(tickets).where(inArray(tickets.threadId, ids));
      await tx.delete(handoffs).where(inArray(handoffs.threadId, ids));
      await tx.delete(slackThreads).where(inArray(slackThreads.threadId, ids));
      await tx.delete(emailThreads).where(inArray(emailThreads.threadId, ids));
      await tx.delete(emailMessages).where(inArray(emailMessages.threadId, ids));
      await tx.delete(deadLetters).where(inArray(deadLetters.threadId, ids));
      await tx.delete(threads).where(inArray(threads.id, ids));
    }),
  );
}
