/**
 * The thread store in the Durable Object's own SQLite. SQLite calls are synchronous, so an arrival is recorded
 * before anything else can run, and a commit is one transaction. Every read is parsed with zod: storage is a
 * boundary too. Nothing is created until a thread opens, so a probe of an unknown thread id leaves no storage.
 * Objects created by earlier versions are migrated in place (schema version in thread_meta).
 */
import { z } from "zod";
import {
  citationSchema,
  identitySchema,
  messageMetaSchema,
  messageRoleSchema,
  ownerSchema,
  type ThreadMessage,
} from "../core/contracts/thread.ts";
import {
  type Commit,
  handoffStateSchema,
  INBOX_KEEP,
  type InboxEntry,
  inboxEntrySchema,
  type NewInboxEntry,
  type OutboxRow,
  type ThreadState,
  type ThreadStore,
  threadStateSchema,
  WINDOW_SIZE,
} from "./thread-store.ts";

const SCHEMA_VERSION = 3;

const TABLES = `
  CREATE TABLE IF NOT EXISTS thread_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS thread_state (
    id INTEGER PRIMARY KEY CHECK (id = 1), thread_id TEXT NOT NULL, channel TEXT NOT NULL, status TEXT NOT NULL,
    token_hash TEXT NOT NULL, identity TEXT, created_at TEXT NOT NULL, owner TEXT, handoff TEXT);
  CREATE TABLE IF NOT EXISTS message_window (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, role TEXT NOT NULL, content TEXT NOT NULL,
    citations TEXT NOT NULL, meta TEXT NOT NULL, created_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS inbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT UNIQUE, message_id TEXT NOT NULL, content TEXT NOT NULL,
    received_at TEXT NOT NULL, reply_id TEXT, attempts INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS settled_steps (call_id TEXT PRIMARY KEY);
  CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, record TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL DEFAULT 0, failure TEXT);
`;

/** Version 0 (before attempts were counted): add the columns the current code reads. */
const MIGRATE_FROM_0 = `
  ALTER TABLE inbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE outbox ADD COLUMN next_at INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE outbox ADD COLUMN failure TEXT;
  DROP TABLE IF EXISTS counters;
`;

/** Version 1 (before staff could take a thread over): the owner column. */
const MIGRATE_FROM_1 = "ALTER TABLE thread_state ADD COLUMN owner TEXT;";
/** Version 2 (before handoffs were followed up): the handoff's wait. */
const MIGRATE_FROM_2 = "ALTER TABLE thread_state ADD COLUMN handoff TEXT;";

const stateRowSchema = threadStateSchema.extend({
  identity: z.string().nullable(),
  owner: z.string().nullable(),
  handoff: z.string().nullable(),
});

const windowRowSchema = z.object({
  seq: z.number(),
  id: z.string(),
  role: messageRoleSchema,
  content: z.string(),
  citations: z.string(),
  meta: z.string(),
  created_at: z.string(),
});

const outboxRowSchema = z.object({
  id: z.number(),
  record: z.string(),
  attempts: z.number(),
  next_at: z.number(),
  failure: z.string().nullable(),
});

export class SqliteThreadStore implements ThreadStore {
  readonly #storage: DurableObjectStorage;
  readonly #sql: SqlStorage;
  #ready: boolean;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
    this.#sql = storage.sql;
    this.#ready = this.#exists("thread_state");
    if (this.#ready) this.#migrate();
  }

  state(): ThreadState | null {
    if (!this.#ready) return null;
    const row = this.#sql
      .exec(
        "SELECT thread_id, channel, status, token_hash, identity, created_at, owner, handoff FROM thread_state",
      )
      .toArray()[0];
    if (!row) return null;
    const parsed = stateRowSchema.parse(row);
    return {
      ...parsed,
      identity: parsed.identity ? identitySchema.parse(JSON.parse(parsed.identity)) : null,
      owner: parsed.owner ? ownerSchema.parse(JSON.parse(parsed.owner)) : null,
      handoff: parsed.handoff ? handoffStateSchema.parse(JSON.parse(parsed.handoff)) : null,
    };
  }

  create(state: ThreadState): void {
    this.#storage.transactionSync(() => {
      this.#sql.exec(TABLES);
      this.#sql.exec(
        "INSERT INTO thread_meta (key, value) VALUES ('schema', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        SCHEMA_VERSION,
      );
      this.#sql.exec(
        "INSERT INTO thread_state (id, thread_id, channel, status, token_hash, identity, created_at, owner, handoff) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)",
        state.thread_id,
        state.channel,
        state.status,
        state.token_hash,
        state.identity ? JSON.stringify(state.identity) : null,
        state.created_at,
        state.owner ? JSON.stringify(state.owner) : null,
        state.handoff ? JSON.stringify(state.handoff) : null,
      );
    });
    this.#ready = true;
  }

  lastSeq(): number {
    if (!this.#ready) return 0;
    const row = this.#sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM message_window").one();
    return row.seq ?? 0;
  }

  recentMessages(limit: number): ThreadMessage[] {
    if (!this.#ready) return [];
    return this.#sql
      .exec(
        "SELECT seq, id, role, content, citations, meta, created_at FROM message_window ORDER BY seq DESC LIMIT ?",
        limit,
      )
      .toArray()
      .map(parseMessage)
      .reverse();
  }

  message(id: string): ThreadMessage | null {
    if (!this.#ready) return null;
    const row = this.#sql
      .exec("SELECT seq, id, role, content, citations, meta, created_at FROM message_window WHERE id = ?", id)
      .toArray()[0];
    return row ? parseMessage(row) : null;
  }

  pending(): InboxEntry[] {
    if (!this.#ready) return [];
    return this.#sql
      .exec("SELECT * FROM inbox WHERE reply_id IS NULL ORDER BY seq")
      .toArray()
      .map((row) => inboxEntrySchema.parse(row));
  }

  entryByClientId(clientId: string): InboxEntry | null {
    if (!this.#ready) return null;
    const row = this.#sql.exec("SELECT * FROM inbox WHERE client_id = ?", clientId).toArray()[0];
    return row ? inboxEntrySchema.parse(row) : null;
  }

  enqueue(entry: NewInboxEntry): { entry: InboxEntry; duplicate: boolean } {
    const inserted = this.#sql
      .exec(
        "INSERT INTO inbox (client_id, message_id, content, received_at) VALUES (?, ?, ?, ?) ON CONFLICT(client_id) DO NOTHING RETURNING *",
        entry.clientId,
        entry.messageId,
        entry.content,
        entry.receivedAt,
      )
      .toArray()[0];
    if (inserted) return { entry: inboxEntrySchema.parse(inserted), duplicate: false };
    const existing = this.#sql.exec("SELECT * FROM inbox WHERE client_id = ?", entry.clientId).one();
    return { entry: inboxEntrySchema.parse(existing), duplicate: true };
  }

  beginAttempt(inboxSeq: number): number {
    return this.#sql
      .exec<{ attempts: number }>(
        "UPDATE inbox SET attempts = attempts + 1 WHERE seq = ? RETURNING attempts",
        inboxSeq,
      )
      .one().attempts;
  }

  commit(commit: Commit): number {
    return this.#storage.transactionSync(() => {
      const { messages } = commit;
      if (messages.length > 0) {
        this.#sql.exec(
          `INSERT INTO message_window (seq, id, role, content, citations, meta, created_at) VALUES ${messages.map(() => "(?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
          ...messages.flatMap((m) => [
            m.seq,
            m.id,
            m.role,
            m.content,
            JSON.stringify(m.citations),
            JSON.stringify(m.meta),
            m.createdAt,
          ]),
        );
        const last = messages.at(-1)?.seq ?? 0;
        // Trimmed every few messages, not on every insert: the window may briefly hold a few more.
        if (last % 10 < messages.length)
          this.#sql.exec("DELETE FROM message_window WHERE seq <= ?", last - WINDOW_SIZE);
      }
      if (commit.answered) {
        const { inboxSeq, replyId } = commit.answered;
        this.#sql.exec("UPDATE inbox SET reply_id = ? WHERE seq = ?", replyId, inboxSeq);
        if (inboxSeq % 50 === 0)
          this.#sql.exec("DELETE FROM inbox WHERE reply_id IS NOT NULL AND seq <= ?", inboxSeq - INBOX_KEEP);
      }
      if (commit.status) this.#sql.exec("UPDATE thread_state SET status = ?", commit.status);
      if (commit.owner !== undefined)
        this.#sql.exec(
          "UPDATE thread_state SET owner = ?",
          commit.owner ? JSON.stringify(commit.owner) : null,
        );
      if (commit.handoff !== undefined)
        this.#sql.exec(
          "UPDATE thread_state SET handoff = ?",
          commit.handoff ? JSON.stringify(commit.handoff) : null,
        );
      if (commit.settled)
        this.#sql.exec(
          "INSERT INTO settled_steps (call_id) VALUES (?) ON CONFLICT DO NOTHING",
          commit.settled,
        );
      return this.#sql
        .exec<{ id: number }>(
          "INSERT INTO outbox (record) VALUES (?) RETURNING id",
          JSON.stringify(commit.record),
        )
        .one().id;
    });
  }

  outbox(): OutboxRow[] {
    if (!this.#ready) return [];
    return this.#sql
      .exec("SELECT id, record, attempts, next_at, failure FROM outbox ORDER BY id")
      .toArray()
      .map((raw) => {
        const row = outboxRowSchema.parse(raw);
        return {
          id: row.id,
          record: JSON.parse(row.record),
          attempts: row.attempts,
          nextAt: row.next_at,
          failure: row.failure,
        };
      });
  }

  removeFromOutbox(id: number): void {
    this.#sql.exec("DELETE FROM outbox WHERE id = ?", id);
  }

  deferOutbox(id: number, attempts: number, nextAt: number, failure: string): void {
    this.#sql.exec(
      "UPDATE outbox SET attempts = ?, next_at = ?, failure = ? WHERE id = ?",
      attempts,
      nextAt,
      failure,
      id,
    );
  }

  isSettled(callId: string): boolean {
    if (!this.#ready) return false;
    return this.#sql.exec("SELECT 1 FROM settled_steps WHERE call_id = ?", callId).toArray().length > 0;
  }

  #exists(table: string): boolean {
    return (
      this.#sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", table).toArray()
        .length > 0
    );
  }

  #migrate(): void {
    const version = this.#exists("thread_meta")
      ? (this.#sql.exec<{ value: number }>("SELECT value FROM thread_meta WHERE key = 'schema'").toArray()[0]
          ?.value ?? 0)
      : 0;
    if (version >= SCHEMA_VERSION) return;
    this.#storage.transactionSync(() => {
      if (version === 0) {
        if (!this.#exists("outbox"))
          this.#sql.exec("CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, record TEXT NOT NULL)");
        this.#sql.exec(MIGRATE_FROM_0);
      }
      if (version <= 1) this.#sql.exec(MIGRATE_FROM_1);
      if (version <= 2) this.#sql.exec(MIGRATE_FROM_2);
      this.#sql.exec(TABLES);
      this.#sql.exec(
        "INSERT INTO thread_meta (key, value) VALUES ('schema', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        SCHEMA_VERSION,
      );
    });
  }
}

function parseMessage(raw: Record<string, SqlStorageValue>): ThreadMessage {
  const r = windowRowSchema.parse(raw);
  return {
    id: r.id,
    seq: r.seq,
    role: r.role,
    content: r.content,
    citations: z.array(citationSchema).parse(JSON.parse(r.citations)),
    meta: messageMetaSchema.parse(JSON.parse(r.meta)),
    createdAt: r.created_at,
  };
}
