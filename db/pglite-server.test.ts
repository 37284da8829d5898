import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalPostgres, startLocalPostgres } from "./local-postgres.ts";

describe("PGlite over the wire protocol", () => {
  let pg: LocalPostgres;
  beforeAll(async () => {
    pg = await startLocalPostgres();
  });
  afterAll(async () => {
    await pg.stop();
  });

  it("serves concurrent extended-protocol queries from many connections", async () => {
    const clients = Array.from({ length: 8 }, () =>
      postgres(pg.url, { max: 4, prepare: false, fetch_types: false, onnotice: () => {} }),
    );
    const results = await Promise.all(
      Array.from({ length: 400 }, (_, i) => {
        const sql = clients[i % clients.length] ?? postgres(pg.url);
        return sql`select ${i}::int as n, repeat('x', ${i % 50}) as pad`;
      }),
    );
    expect(results.map((r) => r[0]?.n)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    await Promise.all(clients.map((c) => c.end()));
  });

  it("keeps a transaction to its own connection while others wait", async () => {
    const a = postgres(pg.url, { max: 1, prepare: false, fetch_types: false, onnotice: () => {} });
    const b = postgres(pg.url, { max: 1, prepare: false, fetch_types: false, onnotice: () => {} });
    await a`create table if not exists tx_probe (n int)`;
    const inside = a.begin(async (tx) => {
      await tx`insert into tx_probe values (1)`;
      await new Promise((r) => setTimeout(r, 50));
      await tx`insert into tx_probe values (2)`;
      throw new Error("roll back");
    });
    const outside = b`select count(*)::int as c from tx_probe`;
    await expect(inside).rejects.toThrow("roll back");
    expect((await outside)[0]?.c).toBe(0);
    expect((await b`select count(*)::int as c from tx_probe`)[0]?.c).toBe(0);
    await Promise.all([a.end(), b.end()]);
  });
});

describe("stopping the local Postgres", () => {
  it("closes its clients before the database: no query meets a closed PGlite, nothing is left unhandled", async () => {
    const pg = await startLocalPostgres();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    // postgres.js 3.4.9 queues the ROLLBACK of a transaction whose server vanished on the socket it has just
    // dropped and throws from a setImmediate (connection.js nextWrite). That is the client's bug, not the server's:
    // catch exactly that one for this test and fail on any other uncaught exception.
    const uncaught: unknown[] = [];
    const theirs = process.listeners("uncaughtException");
    process.removeAllListeners("uncaughtException");
    const onUncaught = (error: unknown) => {
      if (!(error instanceof TypeError && error.stack?.includes("postgres/src/connection.js")))
        uncaught.push(error);
    };
    process.on("uncaughtException", onUncaught);
    try {
      const sql = postgres(pg.url, { max: 4, prepare: false, fetch_types: false, onnotice: () => {} });
      await sql`create table stop_probe (n int)`;
      // One client inside a transaction (the server owes it a ROLLBACK when it vanishes), others queued.
      let inTransaction = () => {};
      const entered = new Promise<void>((resolve) => {
        inTransaction = resolve;
      });
      const transaction = sql.begin(async (tx) => {
        await tx`insert into stop_probe values (1)`;
        inTransaction();
        await new Promise((r) => setTimeout(r, 200));
        await tx`insert into stop_probe values (2)`;
      });
      await entered;
      const queued = Array.from({ length: 6 }, (_, i) => sql`select pg_sleep(0.01), ${i}::int as n`);
      await pg.stop();
      const settled = await Promise.allSettled([transaction, ...queued]);
      expect(settled.every((s) => s.status === "rejected")).toBe(true);
      await new Promise((r) => setTimeout(r, 100));
      expect(unhandled.map(String)).toEqual([]);
      expect(uncaught.map(String)).toEqual([]);
      expect(pg.db.closed).toBe(true);
      // A second stop (a signal during the launcher's own teardown) is harmless.
      await pg.stop();
      // Ended here, so its last setImmediate writes fall inside the catch above.
      await sql.end({ timeout: 0 }).catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      process.off("unhandledRejection", onUnhandled);
      process.off("uncaughtException", onUncaught);
      for (const listener of theirs) process.on("uncaughtException", listener);
    }
  }, 60_000);
});
