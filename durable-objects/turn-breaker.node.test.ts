// The shared breaker counts the upstream's faults only: the attack (a NUL byte that Postgres refuses,
// sent by one anonymous visitor, twice or a hundred times) must not switch search_kb or get_order off for
// anyone else. Postgres is real (PGlite); the NUL is put back into the query past the text hygiene, as a
// driver or adapter bug might, so the database refuses it for the caller's data (SQLSTATE 22021).
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryLookupQuota } from "../core/hands/memory-lookup-quota.ts";
import type { HandPorts, KbHit } from "../core/hands/ports.ts";
import { guarded } from "../db/db-error.ts";
import { turnHarness } from "./turn-harness.ts";

let pg: PGlite;
let postgresDown = false;

beforeAll(async () => {
  pg = await PGlite.create();
});
afterAll(async () => {
  await pg.close();
});

const hit: KbHit = {
  chunkId: "c1",
  docId: "refund-timing",
  language: "en",
  title: "Refund timing",
  section: "Timing",
  url: "https://help.fernhill.example/articles/refund-timing",
  snippet: "Refunds reach your account within 5-10 business days of the return arriving.",
  score: 1,
};

/** A KB and an order source that ask Postgres about what the caller sent; "poison" smuggles a NUL through. */
function ports(): HandPorts {
  const ask = (operation: string, value: string) =>
    guarded(operation, async () => {
      if (postgresDown) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
      const poisoned = value.includes("poison") ? `${value}\u0000` : value;
      return pg.query("SELECT $1::text AS q", [poisoned]);
    });
  return {
    kb: {
      async search(query) {
        await ask("kb.search", query);
        return [hit];
      },
    },
    orders: {
      async findOwnedOrder(orderNumber, email) {
        await ask("orders.find", `${orderNumber} ${email}`);
        return null;
      },
    },
    lookups: new MemoryLookupQuota(5),
    tickets: { open: async (t) => ({ reference: t.reference, created: true }) },
    handoffs: { request: async () => ({ created: true }) },
  };
}

describe("the shared breaker and one visitor's bad data", () => {
  it("stays closed through a hundred poisoned searches, and the next visitor gets an answer", async () => {
    const agent = turnHarness({ ports });
    for (let i = 0; i < 100; i++) {
      const result = await agent.turn(`How long do refunds take? poison ${i}`);
      expect(result.reply.outcome).not.toMatch(/^degraded/);
    }
    expect(agent.breakers.status("search_kb")).toBe("closed");
    // The data faults were logged as such, and none was retried.
    const errors = agent.logs.filter((e) => e.event === "hand.error");
    expect(errors).toHaveLength(100);
    expect(errors.every((e) => e.fields.fault === "data")).toBe(true);

    const other = await agent.turn("How long do refunds take?");
    expect(other.reply.outcome).toBe("answered");
    expect(other.reply.citations).toEqual([expect.objectContaining({ docId: "refund-timing" })]);
    // A data fault opens no ticket either: nothing is down.
    expect(agent.queued).toEqual([]);
  });

  it("does the same for get_order with a poisoned email", async () => {
    const agent = turnHarness({ ports });
    for (let i = 0; i < 20; i++)
      await agent.turn(`Where is my order FH-1002${i}? My email is poison${i}@example.com`);
    expect(agent.breakers.status("get_order")).toBe("closed");
    const other = await agent.turn("Where is my order FH-100231? My email is ana.kovac@example.com");
    expect(other.toolCalls.find((c) => c.tool === "get_order")).toMatchObject({ status: "succeeded" });
  });

  it("still opens when Postgres itself is down, and refuses calls for everyone while open", async () => {
    const agent = turnHarness({ ports });
    postgresDown = true;
    try {
      for (let i = 0; i < 3; i++) await agent.turn("How long do refunds take?");
    } finally {
      postgresDown = false;
    }
    expect(agent.breakers.status("search_kb")).toBe("open");
    const after = await agent.turn("How long do refunds take?");
    expect(after.toolCalls.find((c) => c.tool === "search_kb")).toMatchObject({ status: "breaker_open" });
  });
});
