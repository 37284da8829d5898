import { describe, expect, it } from "vitest";
import type { HandContext } from "./define-hand.ts";
import { getOrder, normaliseOrderNumber } from "./get-order.ts";
import type { HandPorts, OrderView } from "./ports.ts";

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

function context(identity: HandContext["identity"] = null) {
  const lookups: [string, string][] = [];
  const ports = {
    orders: {
      async findOwnedOrder(number: string, email: string) {
        lookups.push([number, email]);
        return number === "FH-100231" && email === "ana.kovac@example.com" ? order : null;
      },
    },
  } as unknown as HandPorts;
  const ctx: HandContext = {
    callId: "c1",
    threadId: "t1",
    channel: "web",
    identity,
    now: new Date(),
    signal: new AbortController().signal,
    ports,
  };
  return { ctx, lookups };
}

describe("get_order", () => {
  it("returns the order to its owner, without the email or raw fields", async () => {
    const { ctx } = context();
    const out = await getOrder.run({ order_id: "fh-100231", email: "Ana.Kovac@example.com" }, ctx);
    expect(out).toMatchObject({
      found: true,
      order: { order_number: "FH-100231", status: "shipped", total: "189.90 EUR" },
    });
    expect(JSON.stringify(out)).not.toContain("ana.kovac");
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
