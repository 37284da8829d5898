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
