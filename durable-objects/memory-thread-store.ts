/**
 * The thread store in memory, for unit tests of the thread logic in Node: the same contract as the SQLite
 * adapter (thread-store.contract.ts runs against both), including the window and inbox bounds. A commit that
 * throws part-way leaves nothing behind, like a SQLite transaction. Values are copied in and out, so a test
 * cannot change stored data by mutating what it passed or got back.
 */
import type { ThreadMessage } from "../core/contracts/thread.ts";
import {
  type Commit,
  INBOX_KEEP,
  type InboxEntry,
  type NewInboxEntry,
  type OutboxRow,
  type ThreadState,
  type ThreadStore,
  WINDOW_SIZE,
} from "./thread-store.ts";

interface Data {
  state: ThreadState | null;
  window: ThreadMessage[];
  inbox: InboxEntry[];
  inboxSeq: number;
  outbox: OutboxRow[];
  outboxId: number;
  settled: Set<string>;
}

export class MemoryThreadStore implements ThreadStore {
  #data: Data = {
    state: null,
    window: [],
    inbox: [],
    inboxSeq: 0,
    outbox: [],
    outboxId: 0,
    settled: new Set(),
  };
  /** Makes the next call of this method fail like a storage fault, for tests. */
  failNext: "commit" | "beginAttempt" | null = null;

  state(): ThreadState | null {
    return copy(this.#data.state);
  }

  create(state: ThreadState): void {
    if (this.#data.state) throw new Error("thread exists");
    this.#data.state = copy(state);
  }

  lastSeq(): number {
    return this.#data.window.at(-1)?.seq ?? 0;
  }

  recentMessages(limit: number): ThreadMessage[] {
    return copy(this.#data.window.slice(-limit));
  }

  message(id: string): ThreadMessage | null {
    return copy(this.#data.window.find((m) => m.id === id) ?? null);
  }

  pending(): InboxEntry[] {
    return copy(this.#data.inbox.filter((e) => e.reply_id === null));
  }

  entryByClientId(clientId: string): InboxEntry | null {
    return copy(this.#data.inbox.find((e) => e.client_id === clientId) ?? null);
  }

  enqueue(entry: NewInboxEntry): { entry: InboxEntry; duplicate: boolean } {
    const existing = entry.clientId
      ? this.#data.inbox.find((e) => e.client_id === entry.clientId)
      : undefined;
    if (existing) return { entry: copy(existing), duplicate: true };
    const row: InboxEntry = {
      seq: ++this.#data.inboxSeq,
      client_id: entry.clientId,
      message_id: entry.messageId,
      content: entry.content,
      received_at: entry.receivedAt,
      reply_id: null,
      attempts: 0,
    };
    this.#data.inbox.push(row);
    return { entry: copy(row), duplicate: false };
  }

  beginAttempt(inboxSeq: number): number {
    this.#fault("beginAttempt");
    const row = this.#data.inbox.find((e) => e.seq === inboxSeq);
    if (!row) throw new Error(`no inbox entry ${inboxSeq}`);
    row.attempts += 1;
    return row.attempts;
  }

  commit(commit: Commit): number {
    const next = structuredClone(this.#data);
    if (commit.status && next.state) next.state.status = commit.status;
    if (commit.owner !== undefined && next.state) next.state.owner = copy(commit.owner);
    if (commit.handoff !== undefined && next.state) next.state.handoff = copy(commit.handoff);
    next.window.push(...copy(commit.messages));
    next.window = next.window.slice(-WINDOW_SIZE);
    if (commit.answered) {
      const { inboxSeq, replyId } = commit.answered;
      const row = next.inbox.find((e) => e.seq === inboxSeq);
      if (!row) throw new Error(`no inbox entry ${inboxSeq}`);
      row.reply_id = replyId;
      next.inbox = next.inbox.filter((e) => e.reply_id === null || e.seq > next.inboxSeq - INBOX_KEEP);
    }
    if (commit.settled) next.settled.add(commit.settled);
    const id = ++next.outboxId;
    next.outbox.push({ id, record: copy(commit.record), attempts: 0, nextAt: 0, failure: null });
    this.#fault("commit");
    this.#data = next;
    return id;
  }

  outbox(): OutboxRow[] {
    return copy(this.#data.outbox);
  }

  removeFromOutbox(id: number): void {
    this.#data.outbox = this.#data.outbox.filter((row) => row.id !== id);
  }

  deferOutbox(id: number, attempts: number, nextAt: number, failure: string): void {
    const row = this.#data.outbox.find((r) => r.id === id);
    if (row) Object.assign(row, { attempts, nextAt, failure });
  }

  isSettled(callId: string): boolean {
    return this.#data.settled.has(callId);
  }

  #fault(method: "commit" | "beginAttempt"): void {
    if (this.failNext !== method) return;
    this.failNext = null;
    throw new Error(`storage fault in ${method} (test)`);
  }
}

function copy<T>(value: T): T {
  return structuredClone(value);
}
