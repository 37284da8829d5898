/**
 * The Slack relay's small tables: which Slack thread belongs to which conversation (slack_threads), and the
 * event ids already handled (slack_events), so a retried or replayed delivery does nothing twice.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "./client.ts";
import { guarded } from "./db-error.ts";
import { slackEvents, slackThreads } from "./schema.ts";

/** True the first time an event id is seen; false for a retry or a replay. */
export function firstDelivery(db: Database, eventId: string): Promise<boolean> {
  return guarded("slack.first_delivery", async () => {
    const rows = await db
      .insert(slackEvents)
      .values({ eventId })
      .onConflictDoNothing()
      .returning({ eventId: slackEvents.eventId });
    return rows.length > 0;
  });
}

/** The conversation a Slack thread was opened for, if any. */
export function conversationOfSlackThread(db: Database, channel: string, ts: string): Promise<string | null> {
  return guarded("slack.thread_lookup", async () => {
    const [row] = await db
      .select({ threadId: slackThreads.threadId })
      .from(slackThreads)
      .where(and(eq(slackThreads.channel, channel), eq(slackThreads.ts, ts)))
      .limit(1);
    return row?.threadId ?? null;
  });
}

/** Remembers the Slack message a conversation's handoff opened (the first one wins). */
export function saveSlackThread(db: Database, threadId: string, channel: string, ts: string): Promise<void> {
  return guarded("slack.thread_save", async () => {
    await db.insert(slackThreads).values({ threadId, channel, ts }).onConflictDoNothing();
  });
}

/** The Slack thread of a conversation, if its handoff opened one. */
export function slackThreadOf(
  db: Database,
  threadId: string,
): Promise<{ channel: string; ts: string } | null> {
  return guarded("slack.thread_of", async () => {
    const [row] = await db
      .select({ channel: slackThreads.channel, ts: slackThreads.ts })
      .from(slackThreads)
      .where(eq(slackThreads.threadId, threadId))
      .limit(1);
    return row ?? null;
  });
}
