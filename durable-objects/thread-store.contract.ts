/**
 * What every ThreadStore adapter must do, as one suite run against the memory adapter in Node and against the
 * SQLite adapter inside a real Durable Object, so the Node tests of the thread logic test what production runs.
 */
import { describe, expect, it } from "vitest";
import type { ThreadMessage } from "../core/contracts/thread.ts";
import { type ThreadState, type ThreadStore, WINDOW_SIZE } from "./thread-store.ts";

type WithStore = (body: (store: ThreadStore) => void | Promise<void>) => Promise<void>;

const state: ThreadState = {
  thread_id: "2b0f3a46-9d4f-4d0a-a6a3-1d1f3f1e9c11",
  channel: "web",
  status: "open",
  token_hash: "ab".repeat(32),
  identity: { sub: "wp-7", email: "ana.kovac@example.com" },
  created_at: "2026-12-01T10:00:00.000Z",
  owner: null,
  handoff: null,
};

const message = (seq: number, role: ThreadMessage["role"] = "user"): ThreadMessage => ({
  id: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
  seq,
  role,
  content: `text ${seq}`,
  citations: [],
  meta: role === "assistant" ? { outcome: "answered" } : {},
  createdAt: "2026-12-01T10:00:00.000Z",
});

export function threadStoreContract(name: string, withStore: WithStore): void {
  describe(`${name} thread store`, () => {
    it("has nothing before the thread opens, and keeps the state it opened with", () =>
      withStore((store) => {
        expect(store.state()).toBeNull();
        expect(store.lastSeq()).toBe(0);
        expect(store.pending()).toEqual([]);
        expect(store.outbox()).toEqual([]);
        store.create(state);
        expect(store.state()).toEqual(state);
      }));

    it("records arrivals once per client id and counts attempts", () =>
      withStore((store) => {
        store.create(state);
        const first = store.enqueue({ clientId: "c-1", messageId: "m-1", content: "hi", receivedAt: "t" });
        const again = store.enqueue({ clientId: "c-1", messageId: "m-2", content: "hi", receivedAt: "t" });
        const anonymous = store.enqueue({ clientId: null, messageId: "m-3", content: "yo", receivedAt: "t" });
        expect(first.duplicate).toBe(false);
        expect(again).toEqual({ entry: first.entry, duplicate: true });
        expect(anonymous.duplicate).toBe(false);
        expect(store.entryByClientId("c-1")).toEqual(first.entry);
        expect(store.beginAttempt(first.entry.seq)).toBe(1);
        expect(store.beginAttempt(first.entry.seq)).toBe(2);
        expect(store.pending().map((e) => [e.message_id, e.attempts])).toEqual([
          ["m-1", 2],
          ["m-3", 0],
        ]);
      }));

    it("commits a turn at once: window, answered entry, status, settled step and outbox record", () =>
      withStore((store) => {
        store.create(state);
        const { entry } = store.enqueue({ clientId: null, messageId: "m-1", content: "hi", receivedAt: "t" });
        const id = store.commit({
          messages: [message(1), message(2, "assistant")],
          answered: { inboxSeq: entry.seq, replyId: message(2).id },
          status: "handoff",
          settled: "call_1",
          record: { id: "r-1", text: "a\u0000b" },
        });
        expect(store.recentMessages(10)).toEqual([message(1), message(2, "assistant")]);
        expect(store.message(message(2).id)).toEqual(message(2, "assistant"));
        expect(store.lastSeq()).toBe(2);
        expect(store.pending()).toEqual([]);
        expect(store.state()?.status).toBe("handoff");
        expect(store.isSettled("call_1")).toBe(true);
        expect(store.isSettled("call_2")).toBe(false);
        expect(store.outbox()).toEqual([
          { id, record: { id: "r-1", text: "a\u0000b" }, attempts: 0, nextAt: 0, failure: null },
        ]);
        store.deferOutbox(id, 2, 5_000, "data:22021");
        expect(store.outbox()[0]).toMatchObject({ attempts: 2, nextAt: 5_000, failure: "data:22021" });
        store.removeFromOutbox(id);
        expect(store.outbox()).toEqual([]);
      }));

    it("keeps the owner a commit sets until one clears it, and leaves it alone otherwise", () =>
      withStore((store) => {
        store.create(state);
        const maya = { id: "7d1c1c1e-0b7a-4b53-9a43-4f7c5c3b2a10", name: "Maya" };
        store.commit({ messages: [message(1, "event")], status: "handoff", owner: maya, record: {} });
        expect(store.state()).toMatchObject({ status: "handoff", owner: maya });
        store.commit({ messages: [message(2, "staff")], record: {} });
        expect(store.state()?.owner).toEqual(maya);
        store.commit({ messages: [message(3, "event")], status: "open", owner: null, record: {} });
        expect(store.state()).toMatchObject({ status: "open", owner: null });
        const handoff = { since: "2026-12-01T10:00:00.000Z", stage: "awaiting_email" as const };
        store.commit({ messages: [], handoff, record: {} });
        expect(store.state()?.handoff).toEqual(handoff);
        store.commit({ messages: [], record: {} });
        expect(store.state()?.handoff).toEqual(handoff);
      }));

    it("keeps a bounded window of the most recent messages", () =>
      withStore((store) => {
        store.create(state);
        for (let seq = 1; seq <= WINDOW_SIZE + 30; seq++)
          store.commit({ messages: [message(seq)], record: {} });
        const recent = store.recentMessages(WINDOW_SIZE);
        expect(recent).toHaveLength(WINDOW_SIZE);
        expect(recent.at(-1)?.seq).toBe(WINDOW_SIZE + 30);
        expect(store.recentMessages(3).map((m) => m.seq)).toEqual([128, 129, 130]);
        expect(store.message(message(1).id)).toBeNull();
      }));
  });
}
