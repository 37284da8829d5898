/**
 * The storage port of one thread: its state, a bounded window of recent messages (the Brain's short-term
 * memory and what GET /thread shows), the inbox of messages waiting for their turn (with how often each was
 * tried), the outbox of records Postgres has not taken yet, and the settled queue steps. Two adapters:
 * sqlite-thread-store.ts (the Durable Object's SQLite, synchronous) and memory-thread-store.ts (Node tests).
 * Every write a turn makes at its end is one `commit`, atomic in both.
 */
import { z } from "zod";
import {
  channelSchema,
  identitySchema,
  type Owner,
  ownerSchema,
  type ThreadMessage,
  type ThreadStatus,
  threadStatusSchema,
} from "../core/contracts/thread.ts";

/** Messages kept in the window; older ones live only in Postgres. */
export const WINDOW_SIZE = 100;
/** Answered inbox entries kept for idempotent retries by client_message_id. */
export const INBOX_KEEP = 200;

export const handoffStateSchema = z.object({
  since: z.string(),
  stage: z.enum(["none", "awaiting_email", "ticketed"]),
});
export type HandoffState = z.infer<typeof handoffStateSchema>;

export const threadStateSchema = z.object({
  thread_id: z.string(),
  channel: channelSchema,
  status: threadStatusSchema,
  token_hash: z.string(),
  identity: identitySchema.nullable(),
  created_at: z.string(),
  /** The staff member who has taken it over; while set, the agent does not answer the visitor. */
  owner: ownerSchema.nullable().default(null),
  /** While a person is asked for: since when, and whether the visitor was followed up (follow-up.ts). */
  handoff: handoffStateSchema.nullable().default(null),
});
export type ThreadState = z.infer<typeof threadStateSchema>;

export const inboxEntrySchema = z.object({
  seq: z.number().int(),
  client_id: z.string().nullable(),
  message_id: z.string(),
  content: z.string(),
  received_at: z.string(),
  reply_id: z.string().nullable(),
  /** Turns started for this entry, counted before each starts (so a crash mid-turn counts too). */
  attempts: z.number().int(),
});
export type InboxEntry = z.infer<typeof inboxEntrySchema>;

export interface NewInboxEntry {
  clientId: string | null;
  messageId: string;
  content: string;
  receivedAt: string;
}

/** A record waiting for Postgres, with its retry schedule. */
export interface OutboxRow {
  id: number;
  record: unknown;
  attempts: number;
  /** Epoch ms before which it is not tried again. */
  nextAt: number;
  /** The last failure's code, e.g. "data:22021" or "upstream:CONNECTION_CLOSED"; null before any. */
  failure: string | null;
}

/** Everything that happens when a message is answered or a step settles, written at once. */
export interface Commit {
  /** Appended to the window, in seq order. */
  messages: ThreadMessage[];
  answered?: { inboxSeq: number; replyId: string };
  status?: ThreadStatus;
  /** A new owner (null: nobody); absent leaves it as it is. */
  owner?: Owner | null;
  /** The handoff's wait and follow-up (null: nobody is asked for); absent leaves it as it is. */
  handoff?: HandoffState | null;
  /** A queue step that settled: remembered so a redelivered report adds nothing. */
  settled?: string;
  /** The record for Postgres, kept in the outbox until it is written. */
  record: unknown;
}

export interface ThreadStore {
  state(): ThreadState | null;
  create(state: ThreadState): void;
  /** Highest message sequence number so far (0 for a new thread). */
  lastSeq(): number;
  recentMessages(limit: number): ThreadMessage[];
  message(id: string): ThreadMessage | null;
  /** Entries still waiting for an answer, oldest first. */
  pending(): InboxEntry[];
  /** The entry a client id was first sent with, answered or not (kept for the last INBOX_KEEP entries). */
  entryByClientId(clientId: string): InboxEntry | null;
  /** Records an arriving message; a known client id returns the earlier entry instead of a second one. */
  enqueue(entry: NewInboxEntry): { entry: InboxEntry; duplicate: boolean };
  /** Counts a new attempt at answering an entry and returns the count. */
  beginAttempt(inboxSeq: number): number;
  /** Writes a commit atomically; returns the outbox id of its record. */
  commit(commit: Commit): number;
  outbox(): OutboxRow[];
  removeFromOutbox(id: number): void;
  deferOutbox(id: number, attempts: number, nextAt: number, failure: string): void;
  isSettled(callId: string): boolean;
}
