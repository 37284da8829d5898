/**
 * The email channel's tables: which thread an address and reply token belong to (email_threads), and the
 * Message-IDs seen and sent on each (email_messages), so a reply's In-Reply-To / References find its thread.
 * Used by worker/email/*.ts.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import type { MessageIdStore } from "../core/email/send.ts";
import type { Database } from "./client.ts";
import { guarded } from "./db-error.ts";
import { emailMessages, emailThreads } from "./schema.ts";

export interface EmailThread {
  threadId: string;
  address: string;
  subject: string;
  replyToken: string;
  threadToken: string;
  verified: boolean;
}

const columns = {
  threadId: emailThreads.threadId,
  address: emailThreads.address,
  subject: emailThreads.subject,
  replyToken: emailThreads.replyToken,
  threadToken: emailThreads.threadToken,
  verified: emailThreads.verified,
};

/** The thread one of these Message-IDs was seen or sent on (the first of them that is known wins). */
export function threadOfMessageIds(db: Database, messageIds: string[]): Promise<EmailThread | null> {
  if (messageIds.length === 0) return Promise.resolve(null);
  return guarded("email.thread_of_ids", async () => {
    const rows = await db
      .select({ messageId: emailMessages.messageId, ...columns })
      .from(emailMessages)
      .innerJoin(emailThreads, eq(emailThreads.threadId, emailMessages.threadId))
      .where(inArray(emailMessages.messageId, messageIds));
    const first = messageIds.map((id) => rows.find((r) => r.messageId === id)).find((r) => r !== undefined);
    if (!first) return null;
    const { messageId: _, ...thread } = first;
    return thread;
  });
}

export function threadOfReplyToken(db: Database, replyToken: string): Promise<EmailThread | null> {
  return guarded("email.thread_of_token", async () => {
    const [row] = await db
      .select(columns)
      .from(emailThreads)
      .where(eq(emailThreads.replyToken, replyToken))
      .limit(1);
    return row ?? null;
  });
}

/** The email side of a thread, for replies sent later (a person in the console, a follow-up, a ticket). */
export function emailThreadOf(db: Database, threadId: string): Promise<EmailThread | null> {
  return guarded("email.thread_of", async () => {
    const [row] = await db
      .select(columns)
      .from(emailThreads)
      .where(eq(emailThreads.threadId, threadId))
      .limit(1);
    return row ?? null;
  });
}

export function saveEmailThread(db: Database, thread: EmailThread): Promise<void> {
  return guarded("email.thread_save", async () => {
    await db.insert(emailThreads).values(thread).onConflictDoNothing();
  });
}

/** Remembers a Message-ID; false if it was already known (a redelivered email). */
export function rememberMessageId(
  db: Database,
  messageId: string,
  threadId: string,
  direction: "in" | "out",
): Promise<boolean> {
  return guarded("email.message_save", async () => {
    const rows = await db
      .insert(emailMessages)
      .values({ messageId, threadId, direction })
      .onConflictDoNothing()
      .returning({ messageId: emailMessages.messageId });
    return rows.length > 0;
  });
}

/** The newest Message-ID received on a thread: what a later reply answers. */
export function lastReceivedId(db: Database, threadId: string): Promise<string | null> {
  return guarded("email.last_received", async () => {
    const [row] = await db
      .select({ messageId: emailMessages.messageId })
      .from(emailMessages)
      .where(and(eq(emailMessages.threadId, threadId), eq(emailMessages.direction, "in")))
      .orderBy(desc(emailMessages.createdAt))
      .limit(1);
    return row?.messageId ?? null;
  });
}

/** Forgets a Message-ID remembered for an email that could not be sent after all. */
export function forgetMessageId(db: Database, messageId: string): Promise<void> {
  return guarded("email.message_forget", async () => {
    await db.delete(emailMessages).where(eq(emailMessages.messageId, messageId));
  });
}

/** The Message-IDs of a thread, oldest first (at most `limit`), for the References of a later reply. */
export function messageIdsOf(db: Database, threadId: string, limit = 20): Promise<string[]> {
  return guarded("email.message_ids", async () => {
    const rows = await db
      .select({ messageId: emailMessages.messageId })
      .from(emailMessages)
      .where(eq(emailMessages.threadId, threadId))
      .orderBy(desc(emailMessages.createdAt))
      .limit(limit);
    return rows.map((r) => r.messageId).reverse();
  });
}

/** The Message-ID store of core/email/send.ts over this database; what it sends is remembered as `out`. */
export function messageIdStore(db: Database): MessageIdStore {
  return {
    references: (threadId) => messageIdsOf(db, threadId),
    remember: (messageId, threadId) => rememberMessageId(db, messageId, threadId, "out"),
    forget: (messageId) => forgetMessageId(db, messageId),
  };
}
