import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SqliteThreadStore } from "./sqlite-thread-store.ts";
import { threadStoreContract } from "./thread-store.contract.ts";

threadStoreContract("SQLite", (body) =>
  runInDurableObject(env.THREAD.getByName(crypto.randomUUID()), (_instance, state) =>
    body(new SqliteThreadStore(state.storage)),
  ),
);

describe("SQLite thread store", () => {
  it("leaves no storage behind for a thread that was only looked at", async () => {
    const stub = env.THREAD.getByName(crypto.randomUUID());
    expect(await stub.view({ token: "guess", viewerSub: null }, 10)).toMatchObject({ ok: false });
    const tables = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table'").toArray(),
    );
    expect(tables.filter((t) => !String(t.name).startsWith("_cf"))).toEqual([]);
  });

  it("migrates an object created by the previous version in place", async () => {
    const stub = env.THREAD.getByName(crypto.randomUUID());
    const pending = await runInDurableObject(stub, (_instance, state) => {
      // The previous schema: no attempts, no outbox schedule, a counters table.
      state.storage.sql.exec(`
        CREATE TABLE thread_state (id INTEGER PRIMARY KEY CHECK (id = 1), thread_id TEXT NOT NULL, channel TEXT NOT NULL,
          status TEXT NOT NULL, token_hash TEXT NOT NULL, identity TEXT, created_at TEXT NOT NULL);
        CREATE TABLE message_window (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
          content TEXT NOT NULL, citations TEXT NOT NULL, meta TEXT NOT NULL, created_at TEXT NOT NULL);
        CREATE TABLE inbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT UNIQUE, message_id TEXT NOT NULL,
          content TEXT NOT NULL, received_at TEXT NOT NULL, reply_id TEXT);
        CREATE TABLE settled_steps (call_id TEXT PRIMARY KEY);
        CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, record TEXT NOT NULL);
        INSERT INTO thread_state VALUES (1, 'x', 'web', 'open', 'h', NULL, 't');
        INSERT INTO inbox (client_id, message_id, content, received_at) VALUES ('c', 'm', 'still waiting', 't');
        INSERT INTO outbox (record) VALUES ('{"thread":{}}');
      `);
      const store = new SqliteThreadStore(state.storage);
      return { pending: store.pending(), outbox: store.outbox() };
    });
    expect(pending.pending).toEqual([expect.objectContaining({ content: "still waiting", attempts: 0 })]);
    expect(pending.outbox).toEqual([
      { id: 1, record: { thread: {} }, attempts: 0, nextAt: 0, failure: null },
    ]);
  });
});
