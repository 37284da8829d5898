/**
 * The Thread Durable Object's own SQLite storage: the thread's state, a bounded window of recent messages
 * (the Brain's short-term memory and what GET /thread shows), and the inbox of messages waiting for their
 * turn. SQLite calls are synchronous, so an arrival is recorded before anything else can run. Every read is
 * parsed with zod: storage is a boundary too.
 */
import { z } from "zod";
import {
  channelSchema,
  citationSchema,
  identitySchema,
  messageMetaSchema,
  messageRoleSchema,
  type ThreadMessage,
  threadStatusSchema,
} from "../core/contracts/thread.ts";

/** Messages kept in the window; older ones live only in Postgres. */
export const WINDOW_SIZE = 100;
/** Answered inbox entries kept for idempotent retries by client_message_id. */
const INBOX_KEEP = 200;

const stateSchema = z.object({
  thread_id: z.string(),
  channel: channelSchema,
  status: threadStatusSchema,
  token_hash: z.string(),
  identity: z.string().nullable(),
  created_at: z.string(),
});
export type ThreadState = Omit<z.infer<typeof stateSchema>, "identity"> & {
  identity: z.infer<typeof identitySchema> | null;
};

const windowRowSchema = z.object({
  seq: z.number(),
  id: z.string(),
  role: messageRoleSchema,
  content: z.string(),
  citations: z.string(),
  meta: z.string(),
  created_at: z.string(),
});

const inboxRowSchema = z.object({
  seq: z.number(),
  client_id: z.string().nullable(),
  message_id: z.string(),
  content: z.string(),
  received_at: z.string(),
  reply_id: z.string().nullable(),
});
export type InboxEntry = z.infer<typeof inboxRowSchema>;

export class ThreadStorage {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    sql.exec(`
      CREATE TABLE IF NOT EXISTS thread_state (
        id INTEGER PRIMARY KEY CHECK (id = 1), thread_id TEXT NOT NULL, channel TEXT NOT NULL, status TEXT NOT NULL,
        token_hash TEXT NOT NULL, identity TEXT, created_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS message_window (
        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, role TEXT NOT NULL, content TEXT NOT NULL,
        citations TEXT NOT NULL, meta TEXT NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS inbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT UNIQUE, message_id TEXT NOT NULL, content TEXT NOT NULL,
        received_at TEXT NOT NULL, reply_id TEXT);
      CREATE TABLE IF NOT EXISTS settled_steps (call_id TEXT PRIMARY KEY);
      CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, record TEXT NOT NULL);
    `);
  }

  state(): ThreadState | null {
    const row = this.#sql
      .exec("SELECT thread_id, channel, status, token_hash, identity, created_at FROM thread_state")
      .toArray()[0];
    if (!row) return null;
    const parsed = stateSchema.parse(row);
    return {
      ...parsed,
      identity: parsed.identity ? identitySchema.parse(JSON.parse(parsed.identity)) : null,
    };
  }

  create(state: ThreadState): void {
    this.#sql.exec(
      "INSERT INTO thread_state (id, thread_id, channel, status, token_hash, identity, created_at) VALUES (1, ?, ?, ?, ?, ?, ?)",
      state.thread_id,
      state.channel,
      state.status,
      state.token_hash,
      state.identity ? JSON.stringify(state.identity) : null,
      state.created_at,
    );
  }

  setStatus(status: ThreadState["status"]): void {
    this.#sql.exec("UPDATE thread_state SET status = ?", status);
  }

  /** Sequence numbers of the thread's messages: gapless, in the order the thread saw them. */
  nextSeq(): number {
    const row = this.#sql
      .exec<{ value: number }>(
        "INSERT INTO counters (name, value) VALUES ('seq', 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value",
      )
      .one();
    return row.value;
  }

  appendToWindow(message: ThreadMessage): void {
    this.#sql.exec(
      "INSERT INTO message_window (seq, id, role, content, citations, meta, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      message.seq,
      message.id,
      message.role,
      message.content,
      JSON.stringify(message.citations),
      JSON.stringify(message.meta),
      message.createdAt,
    );
    this.#sql.exec(
      "DELETE FROM message_window WHERE seq <= (SELECT MAX(seq) FROM message_window) - ?",
      WINDOW_SIZE,
    );
  }

  recentMessages(limit: number): ThreadMessage[] {
    return this.#sql
      .exec(
        "SELECT seq, id, role, content, citations, meta, created_at FROM message_window ORDER BY seq DESC LIMIT ?",
        limit,
      )
      .toArray()
      .map((row) => {
        const r = windowRowSchema.parse(row);
        return {
          id: r.id,
          seq: r.seq,
          role: r.role,
          content: r.content,
          citations: z.array(citationSchema).parse(JSON.parse(r.citations)),
          meta: messageMetaSchema.parse(JSON.parse(r.meta)),
          createdAt: r.created_at,
        };
      })
      .reverse();
  }

  message(id: string): ThreadMessage | null {
    return this.recentMessages(WINDOW_SIZE).find((m) => m.id === id) ?? null;
  }

  /** Records an arriving message; a known client id returns the earlier entry instead of a second one. */
  enqueue(entry: { clientId: string | null; messageId: string; content: string; receivedAt: string }): {
    entry: InboxEntry;
    duplicate: boolean;
  } {
    if (entry.clientId) {
      const existing = this.#sql.exec("SELECT * FROM inbox WHERE client_id = ?", entry.clientId).toArray()[0];
      if (existing) return { entry: inboxRowSchema.parse(existing), duplicate: true };
    }
    const row = this.#sql
      .exec(
        "INSERT INTO inbox (client_id, message_id, content, received_at) VALUES (?, ?, ?, ?) RETURNING *",
        entry.clientId,
        entry.messageId,
        entry.content,
        entry.receivedAt,
      )
      .one();
    return { entry: inboxRowSchema.parse(row), duplicate: false };
  }

  knowsClientId(clientId: string | null): boolean {
    if (!clientId) return false;
    return this.#sql.exec("SELECT 1 FROM inbox WHERE client_id = ?", clientId).toArray().length > 0;
  }

  /** The oldest message still waiting for its turn. */
  nextPending(): InboxEntry | null {
    const row = this.#sql
      .exec("SELECT * FROM inbox WHERE reply_id IS NULL ORDER BY seq LIMIT 1")
      .toArray()[0];
    return row ? inboxRowSchema.parse(row) : null;
  }

  pendingCount(): number {
    return this.#sql.exec<{ n: number }>("SELECT count(*) AS n FROM inbox WHERE reply_id IS NULL").one().n;
  }

  markAnswered(inboxSeq: number, replyId: string): void {
    this.#sql.exec("UPDATE inbox SET reply_id = ? WHERE seq = ?", replyId, inboxSeq);
    this.#sql.exec(
      "DELETE FROM inbox WHERE reply_id IS NOT NULL AND seq <= (SELECT MAX(seq) FROM inbox) - ?",
      INBOX_KEEP,
    );
  }

  /** Keeps a turn's record until Postgres has it; whatever is left here, the alarm writes later. */
  keepForLater(record: unknown): number {
    return this.#sql
      .exec<{ id: number }>("INSERT INTO outbox (record) VALUES (?) RETURNING id", JSON.stringify(record))
      .one().id;
  }

  outbox(): { id: number; record: unknown }[] {
    return this.#sql
      .exec<{ id: number; record: string }>("SELECT id, record FROM outbox ORDER BY id")
      .toArray()
      .map((row) => ({ id: row.id, record: JSON.parse(row.record) }));
  }

  removeFromOutbox(id: number): void {
    this.#sql.exec("DELETE FROM outbox WHERE id = ?", id);
  }

  /** True the first time a call id is seen: queue reports arrive at least once. */
  markSettled(callId: string): boolean {
    const inserted = this.#sql
      .exec("INSERT INTO settled_steps (call_id) VALUES (?) ON CONFLICT DO NOTHING RETURNING call_id", callId)
      .toArray();
    return inserted.length > 0;
  }
}
