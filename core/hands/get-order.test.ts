import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { HandContext } from "./define-hand.ts";
import { getOrder, normaliseOrderNumber } from "./get-order.ts";
import { MemoryLookupQuota } from "./memory-lookup-quota.ts";
import type { HandPorts, OrderSource, OrderView } from "./ports.ts";

const order: OrderView = {
  orderNumber: "FH-100231",
  status: "shipped",
  placedAt: "2026-11-24T10:14:00.000Z",
  updatedAt: "2026-11-24T15:02:00.000Z",
  currency: "EUR",
  totalCents: 18990,
  items: [{ name: "Alpine Shell Jacket", quantity: 1 }],
  shippingCountry: "DE",
  carrier: "DHL",
  trackingNumber: "0034",
  trackingUrl: "https://track.fernhill.example/dhl/0034",
  estimatedDelivery: "2026-11-26",
};

/** What an order source may hand back beyond the view: the customer's email and address, as a shop stores them. */
const sourceRow = {
  ...order,
  email: "ana.kovac@example.com",
  billing: { email: "ana.kovac@example.com", phone: "+49 30 1234567", address: "Hauptstr. 1, Berlin" },
};

function context(
  identity: HandContext["identity"] = null,
  quota = new MemoryLookupQuota(5),
  threadId = "t1",
  orders?: OrderSource,
) {
  const lookups: [string, string][] = [];
  const ports = {
    orders: orders ?? {
      async findOwnedOrder(number: string, email: string) {
        lookups.push([number, email]);
        return number === "FH-100231" && email === "ana.kovac@example.com" ? sourceRow : null;
      },
    },
    lookups: quota,
  } as unknown as HandPorts;
  const ctx: HandContext = {
    callId: "c1",
    threadId,
    channel: "web",
    identity,
    now: new Date(),
    signal: new AbortController().signal,
    ports,
  };
  return { ctx, lookups };
}

describe("get_order", () => {
  it("lists a signed-in visitor's recent orders by the verified email only, when no number is named", async () => {
    const asked: string[] = [];
    const source: OrderSource = {
      async findOwnedOrder() {
        return null;
      },
      async recentOwnedOrders(email, limit) {
        asked.push(`${email}:${limit}`);
        return email === "ana.kovac@example.com" ? [order, { ...order, orderNumber: "FH-100100" }] : [];
      },
    };
    const ana = { sub: "u1", email: "Ana.Kovac@example.com" };
    const { ctx } = context(ana, undefined, "t1", source);
    // An email typed into the conversation never selects whose orders are listed.
    const out = await getOrder.run({ order_id: null, email: "mallory@example.com" }, ctx);
    expect(out).toMatchObject({
      found: true,
      orders: [{ order_number: "FH-100231" }, { order_number: "FH-100100" }],
    });
    expect(asked).toEqual(["ana.kovac@example.com:3"]);
    const anonymous = await getOrder.run(
      { order_id: null, email: "ana.kovac@example.com" },
      context(null, undefined, "t2", source).ctx,
    );
    expect(anonymous).toMatchObject({ found: false, code: "invalid_input:order_id" });
    expect(asked).toHaveLength(1);
  });

  it("returns the order to its owner, without the email or raw fields", async () => {
    const { ctx } = context();
    const out = await getOrder.run({ order_id: "fh-100231", email: "Ana.Kovac@example.com" }, ctx);
    expect(out).toMatchObject({
      found: true,
      order: { order_number: "FH-100231", status: "shipped", total: "189.90 EUR" },
    });
    // The source's row carries the email; the hand passes on only the fields the model may see.
    expect(JSON.stringify(sourceRow)).toContain("ana.kovac");
    expect(JSON.stringify(out)).not.toMatch(/ana\.kovac|Hauptstr|\+49/);
    expect(out).toEqual({
      found: true,
      order: {
        order_number: "FH-100231",
        status: "shipped",
        placed_at: order.placedAt,
        updated_at: order.updatedAt,
        total: "189.90 EUR",
        items: order.items,
        shipping_country: "DE",
        carrier: "DHL",
        tracking_number: "0034",
        tracking_url: order.trackingUrl,
        estimated_delivery: "2026-11-26",
      },
    });
  });

  it("answers a wrong email and a wrong number identically, so orders cannot be enumerated", async () => {
    const { ctx, lookups } = context();
    const wrongEmail = await getOrder.run({ order_id: "FH-100231", email: "mallory@example.com" }, ctx);
    const wrongNumber = await getOrder.run({ order_id: "FH-100232", email: "ana.kovac@example.com" }, ctx);
    expect(wrongEmail).toEqual({ found: false, code: "not_found:order", hint: expect.any(String) });
    expect(wrongNumber).toEqual(wrongEmail);
    // One lookup each, by number and email together.
    expect(lookups).toEqual([
      ["FH-100231", "mallory@example.com"],
      ["FH-100232", "ana.kovac@example.com"],
    ]);
  });

  it("uses a verified identity's email when none is given, and asks for one otherwise", async () => {
    const loggedIn = context({ sub: "wp-7", email: "ana.kovac@example.com" });
    expect(await getOrder.run({ order_id: "FH-100231", email: null }, loggedIn.ctx)).toMatchObject({
      found: true,
    });
    const anonymous = context();
    expect(await getOrder.run({ order_id: "FH-100231", email: null }, anonymous.ctx)).toMatchObject({
      found: false,
      code: "invalid_input:email",
    });
    expect(anonymous.lookups).toEqual([]);
  });

  it("stops the issue's walk: 1,201 lookups for one email across the number space find no order", async () => {
    const demo = JSON.parse(readFileSync("demo/orders.json", "utf8")) as {
      order_number: string;
      email: string;
    }[];
    const victim = "lukas.brandt@example.net";
    expect(demo.filter((o) => o.email === victim).map((o) => o.order_number)).toEqual([
      "FH-100237",
      "FH-100412",
    ]);
    /** The attack, one thread per lookup as the issue ran it; returns orders found and source lookups. */
    const walk = async (quota: MemoryLookupQuota) => {
      let reached = 0;
      let found = 0;
      const source: OrderSource = {
        async findOwnedOrder(number, email) {
          reached += 1;
          const hit = demo.find((o) => o.order_number === number && o.email === email);
          return hit ? { ...order, orderNumber: hit.order_number } : null;
        },
      };
      for (let n = 100231; n < 100231 + 1201; n++) {
        const { ctx } = context(null, quota, `thread-${n}`, source);
        const out = await getOrder.run({ order_id: `FH-${n}`, email: victim }, ctx);
        if (out.found) found += 1;
      }
      return { reached, found };
    };
    // Without the quota the walk finds both of the victim's orders, as in the issue.
    expect(await walk(new MemoryLookupQuota(0))).toEqual({ reached: 1201, found: 2 });
    // With it, five wrong numbers and the email is spent: nothing found, the source asked five times.
    expect(await walk(new MemoryLookupQuota(5))).toEqual({ reached: 5, found: 0 });
  });

  it("answers a spent quota exactly like a wrong number, even for the right pair, until the hour has passed", async () => {
    let now = 0;
    const quota = new MemoryLookupQuota(5, () => now);
    const { ctx, lookups } = context(null, quota);
    const wrong = await getOrder.run({ order_id: "FH-100299", email: "ana.kovac@example.com" }, ctx);
    for (let i = 0; i < 4; i++)
      await getOrder.run({ order_id: `FH-10030${i}`, email: "ana.kovac@example.com" }, ctx);
    const right = await getOrder.run({ order_id: "FH-100231", email: "ana.kovac@example.com" }, ctx);
    expect(right).toEqual(wrong);
    expect(lookups).toHaveLength(5);
    // The keys name no email: the email is hashed.
    expect(quota.keys().join(" ")).not.toContain("ana");
    now += 60 * 60 * 1000 + 1;
    const { ctx: later } = context(null, quota, "t2");
    expect(
      await getOrder.run({ order_id: "FH-100231", email: "ana.kovac@example.com" }, later),
    ).toMatchObject({
      found: true,
    });
  });

  it("limits a thread that tries many emails, and does not lock a signed-in owner out of their own orders", async () => {
    const quota = new MemoryLookupQuota(5);
    const { ctx } = context(null, quota, "probe");
    for (let i = 0; i < 5; i++)
      await getOrder.run({ order_id: "FH-100231", email: `guess${i}@example.com` }, ctx);
    expect(await getOrder.run({ order_id: "FH-100231", email: "ana.kovac@example.com" }, ctx)).toMatchObject({
      found: false,
    });
    // A stranger spends ana's email quota from other threads; signed in, ana still finds her order.
    for (let i = 0; i < 5; i++) {
      const { ctx: stranger } = context(null, quota, `s${i}`);
      await getOrder.run({ order_id: `FH-10040${i}`, email: "ana.kovac@example.com" }, stranger);
    }
    const { ctx: owner } = context({ sub: "wp-7", email: "ana.kovac@example.com" }, quota, "own");
    expect(await getOrder.run({ order_id: "FH-100231", email: null }, owner)).toMatchObject({ found: true });
  });

  it("rejects arguments that do not fit the schema", () => {
    expect(getOrder.input.safeParse({ order_id: "FH-1", email: null, admin: true }).success).toBe(false);
    expect(getOrder.input.safeParse({ order_id: 100231, email: null }).success).toBe(false);
  });

  it("normalises the ways people write order numbers", () => {
    expect(["#fh 100231", "fh-100231", "FH100231", " FH-100231 "].map(normaliseOrderNumber)).toEqual(
      Array(4).fill("FH-100231"),
    );
  });
});
