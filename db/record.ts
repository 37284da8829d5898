/**
 * Writes the record of a conversation: thread rows, messages, tool calls, turn metrics and feedback, and the
 * dead letters of records Postgres refused. Called by the Thread Durable Object's recorder (one transaction per
 * record, from its outbox), by the queue consumers as tool steps settle, and by the feedback route. Also reads
 * a signed-in visitor's recent threads. Every function fails with a DbError (db-error.ts), never the driver's.
 */
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { RecentThreads } from "../core/contracts/api.ts";
import {
  channelSchema,
  identitySchema,
  ownerSchema,
  threadMessageSchema,
  threadStatusSchema,
} from "../core/contracts/thread.ts";
import type { Database } from "./client.ts";
import { guarded } from "./db-error.ts";
import { deadLetters, feedback, messages, threads, toolCalls, turnMetrics } from "./schema.ts";

export const recordedMessageSchema = threadMessageSchema;
export type RecordedMessage = z.infer<typeof recordedMessageSchema>;

export const recordedToolCallSchema = z.object({
  id: z.string(),
  turnId: z.string(),
  tool: z.string(),
  dispatch: z.string(),
  args: z.unknown(),
  result: z.unknown(),
  status: z.enum(["succeeded", "failed", "queued", "breaker_open"]),
  errorCode: z.string().nullable(),
  attempts: z.number().int(),
  latencyMs: z.number().int(),
});
export type RecordedToolCall = z.infer<typeof recordedToolCallSchema>;

export const turnMetricsRowSchema = z.object({
  turnId: z.string(),
  brain: z.string(),
  model: z.string().nullable(),
  outcome: z.string(),
  toolCalls: z.number().int(),
  totalMs: z.number().int(),
  planMs: z.number().int(),
  toolsMs: z.number().int(),
  draftMs: z.number().int(),
  guardrailMs: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  costUsd: z.number(),
});
export type TurnMetricsRow = z.infer<typeof turnMetricsRowSchema>;

export const turnRecordSchema = z.object({
  /** Unique per record (dead letters are keyed by it); absent in records kept before it existed. */
  id: z.string().optional(),
  thread: z.object({
    id: z.string(),
    channel: channelSchema,
    status: threadStatusSchema,
    identity: identitySchema.nullable(),
    /** The thread's owner as the Thread object has it (absent in records written before ownership). */
    owner: ownerSchema.nullable().optional(),
    /** Set by the record of a close. */
    closedReason: z.string().nullable().optional(),
  }),
  messages: z.array(recordedMessageSchema),
  toolCalls: z.array(recordedToolCallSchema),
  metrics: turnMetricsRowSchema.nullable(),
});
export type TurnRecord = z.infer<typeof turnRecordSchema>;

/** Writes one record in one transaction; a record written before (a replay) changes nothing. */
export function recordTurn(db: Database, record: TurnRecord): Promise<void> {
  return guarded("record.turn", () => writeTurn(db, record));
}

async function writeTurn(db: Database, record: TurnRecord): Promise<void> {
  const { thread } = record;
  await db.transaction(async (tx) => {
    await tx
      .insert(threads)
      .values({
        id: thread.id,
        channel: thread.channel,
        status: thread.status,
        identitySub: thread.identity?.sub ?? null,
        identityEmail: thread.identity?.email ?? null,
        ownerId: thread.owner?.id ?? null,
        ownerName: thread.owner?.name ?? null,
        waitingSince: thread.status === "handoff" ? new Date() : null,
      })
      .onConflictDoUpdate({ target: threads.id, set: { ...mirror(thread), updatedAt: sql`now()` } });
    await appendMessages(tx, thread.id, record.messages);
    if (record.toolCalls.length > 0) {
      await tx
        .insert(toolCalls)
        .values(record.toolCalls.map((c) => ({ ...c, threadId: thread.id })))
        .onConflictDoUpdate({
          target: toolCalls.id,
          // A queued step may already have settled: never move it back to "queued".
          set: {
            status: sql`case when ${toolCalls.status} = 'queued' then excluded.status else ${toolCalls.status} end`,
            latencyMs: sql`excluded.latency_ms`,
            attempts: sql`excluded.attempts`,
          },
        });
    }
    if (record.metrics) {
      await tx
        .insert(turnMetrics)
        .values({ ...record.metrics, threadId: thread.id, channel: thread.channel })
        .onConflictDoNothing();
    }
  });
}

/**
 * What the inbox reads from the thread's own state: status, owner, how long it has waited for a person (from
 * the first request, cleared when the bot has it again) and why it closed.
 */
function mirror(thread: TurnRecord["thread"]) {
  return {
    status: thread.status,
    ...(thread.owner !== undefined
      ? { ownerId: thread.owner?.id ?? null, ownerName: thread.owner?.name ?? null }
      : {}),
    waitingSince: thread.status === "handoff" ? sql`coalesce(${threads.waitingSince}, now())` : sql`null`,
    ...(thread.status === "closed"
      ? thread.closedReason
        ? { closedReason: thread.closedReason }
        : {}
      : { closedReason: null }),
  };
}

/** Registers a queued side effect before it is sent, so the consumer always finds its row. */
export function recordQueuedCall(db: Database, threadId: string, call: RecordedToolCall): Promise<void> {
  return guarded("record.queued_call", async () => {
    await db
      .insert(toolCalls)
      .values({ ...call, threadId })
      .onConflictDoNothing();
  });
}

export interface DeadLetter {
  source: "thread_record";
  /** Unique per source, so storing the same letter twice keeps one. */
  sourceId: string;
  threadId: string | null;
  errorCode: string;
  sqlstate: string | null;
  attempts: number;
  /** The refused record, whole. */
  payload: string;
}

/** Keeps a record Postgres refused, as bytes (its text may be exactly what text columns refuse). */
export function saveDeadLetter(db: Database, letter: DeadLetter): Promise<void> {
  return guarded("record.dead_letter", async () => {
    await db
      .insert(deadLetters)
      .values({ ...letter, payload: new TextEncoder().encode(letter.payload) })
      .onConflictDoNothing();
  });
}

export function settleToolCall(
  db: Database,
  callId: string,
  outcome: {
    status: "succeeded" | "failed" | "dead_lettered";
    result?: unknown;
    errorCode?: string | null;
    attempts: number;
  },
): Promise<void> {
  return guarded("record.settle_call", async () => {
    await db
      .update(toolCalls)
      .set({
        status: outcome.status,
        result: outcome.result ?? null,
        errorCode: outcome.errorCode ?? null,
        attempts: outcome.attempts,
        updatedAt: new Date(),
      })
      .where(eq(toolCalls.id, callId));
  });
}

/** Adds messages to a thread's record; a message already there (a retried write) is left as it is. */
export async function appendMessages(
  db: Pick<Database, "insert">,
  threadId: string,
  list: RecordedMessage[],
): Promise<void> {
  if (list.length === 0) return;
  await db
    .insert(messages)
    .values(
      list.map((m) => ({
        id: m.id,
        threadId,
        seq: m.seq,
        role: m.role,
        content: m.content,
        citations: m.citations,
        meta: m.meta,
        createdAt: new Date(m.createdAt),
      })),
    )
    .onConflictDoNothing();
}

/** Stores one rating per message (the latest wins). The thread has checked that the message is its reply. */
export function saveFeedback(
  db: Database,
  entry: {
    threadId: string;
    messageId: string;
    rating: "up" | "down";
    tags: string[];
    comment: string | null;
  },
): Promise<void> {
  return guarded("record.feedback", async () => {
    await db
      .insert(feedback)
      .values(entry)
      .onConflictDoUpdate({
        target: feedback.messageId,
        set: { rating: entry.rating, tags: entry.tags, comment: entry.comment, createdAt: sql`now()` },
      });
  });
}

/** A signed-in visitor's latest conversations with the start of each one's latest reply. */
export async function recentThreads(
  db: Database,
  identitySub: string,
  limit: number,
): Promise<RecentThreads["threads"]> {
  const rows = await guarded("record.recent_threads", () => listRecent(db, identitySub, limit));
  return rows.map((r) => ({
    thread_id: r.id,
    status: threadStatusSchema.parse(r.status),
    updated_at: new Date(r.updated_at).toISOString(),
    preview: r.preview ?? "",
  }));
}

function listRecent(db: Database, identitySub: string, limit: number) {
  return db.execute<{
    id: string;
    status: string;
    updated_at: Date | string;
    preview: string | null;
  }>(sql`
    select t.id, t.status, t.updated_at,
      (select left(m.content, 140) from messages m
        where m.thread_id = t.id and m.role = 'assistant' order by m.seq desc limit 1) as preview
    from threads t
    where t.identity_sub = ${identitySub}
    order by t.updated_at desc
    limit ${limit}`);
}
