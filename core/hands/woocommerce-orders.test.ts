import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  demoWooOrders,
  type FakeWooCommerce,
  startFakeWooCommerce,
} from "../../test-tools/fake-woocommerce/server.ts";
import { getOrder } from "./get-order.ts";
import { MemoryLookupQuota } from "./memory-lookup-quota.ts";
import type { HandPorts } from "./ports.ts";
import {
  orderId,
  parseWooCommerceConfig,
  type WooCommerceConfig,
  wooCommerceOrderSource,
} from "./woocommerce-orders.ts";

let shop: FakeWooCommerce;
let config: WooCommerceConfig;
const signal = () => AbortSignal.timeout(2000);

beforeAll(async () => {
  shop = await startFakeWooCommerce();
  config = {
    baseUrl: shop.url,
    consumerKey: shop.consumerKey,
    consumerSecret: shop.consumerSecret,
    orderPrefix: "FH-",
    auth: "basic",
  };
});
afterAll(() => shop.close());

describe("wooCommerceOrderSource", () => {
  it("returns an order whose number and billing email match, mapped to the agent's view", async () => {
    const source = wooCommerceOrderSource(config, fetch);
    expect(await source.findOwnedOrder("FH-100231", "Ana.Kovac@example.com", signal())).toEqual({
      orderNumber: "FH-100231",
      status: "shipped",
      placedAt: "2026-11-24T10:14:00.000Z",
      updatedAt: "2026-11-24T15:02:00.000Z",
      currency: "EUR",
      totalCents: 18990,
      items: [{ name: "Alpine Shell Jacket, M, blue", quantity: 1 }],
      shippingCountry: "DE",
      carrier: "DHL",
      trackingNumber: "00340434161200231876",
      trackingUrl: "https://track.fernhill.example/dhl/00340434161200231876",
      estimatedDelivery: null,
    });
  });

  it("gives the same null, after one request each, for a wrong email and an unknown number", async () => {
    const source = wooCommerceOrderSource(config, fetch);
    const before = shop.requests.length;
    expect(await source.findOwnedOrder("FH-100231", "someone.else@example.com", signal())).toBeNull();
    expect(await source.findOwnedOrder("FH-999999", "ana.kovac@example.com", signal())).toBeNull();
    expect(shop.requests.length - before).toBe(2);
  });

  it("does not call the shop for something that is not an order number", async () => {
    const source = wooCommerceOrderSource(config, fetch);
    const before = shop.requests.length;
    expect(await source.findOwnedOrder("../customers", "ana.kovac@example.com", signal())).toBeNull();
    expect(await source.findOwnedOrder("XY-100231", "ana.kovac@example.com", signal())).toBeNull();
    expect(shop.requests.length).toBe(before);
  });

  it("maps core statuses and passes custom ones through", async () => {
    const source = wooCommerceOrderSource(config, fetch);
    const statuses = [];
    for (const [n, email] of [
      ["FH-100237", "lukas.brandt@example.net"],
      ["FH-100299", "sophie.gruber@example.org"],
    ] as const) {
      statuses.push((await source.findOwnedOrder(n, email, signal()))?.status);
    }
    expect(statuses).toEqual(["delivered", "delivered"]);
  });

  it("authenticates with query parameters when configured", async () => {
    const source = wooCommerceOrderSource({ ...config, auth: "query" }, fetch);
    expect(await source.findOwnedOrder("fh100231", "ana.kovac@example.com", signal())).not.toBeNull();
  });

  it("fails loudly (upstream:woocommerce) on bad keys, server errors and timeouts, never as 'not found'", async () => {
    const wrongKey = wooCommerceOrderSource({ ...config, consumerSecret: "cs_wrong" }, fetch);
    await expect(
      wrongKey.findOwnedOrder("FH-100231", "ana.kovac@example.com", signal()),
    ).rejects.toMatchObject({
      code: "upstream:woocommerce",
    });
    shop.failWith(503);
    try {
      const source = wooCommerceOrderSource(config, fetch);
      await expect(
        source.findOwnedOrder("FH-100231", "ana.kovac@example.com", signal()),
      ).rejects.toMatchObject({
        code: "upstream:woocommerce",
      });
    } finally {
      shop.failWith(null);
    }
    const slow = await startFakeWooCommerce({ latencyMs: 500 });
    try {
      const source = wooCommerceOrderSource({ ...config, baseUrl: slow.url }, fetch);
      await expect(
        source.findOwnedOrder("FH-100231", "ana.kovac@example.com", AbortSignal.timeout(50)),
      ).rejects.toMatchObject({ code: "upstream:woocommerce" });
    } finally {
      await slow.close();
    }
  });

  it("never shows drafts or trashed orders, and rejects an unexpected shape as a data fault", async () => {
    const [base] = demoWooOrders();
    if (!base) throw new Error("no demo orders");
    const orders = [
      { ...base, id: 5, number: "5", status: "checkout-draft", billing: { email: "a@example.com" } },
      { ...base, id: 6, number: "6", status: "trash", billing: { email: "a@example.com" } },
      { id: 7, number: "7", status: "processing", billing: { email: "a@example.com" } },
    ];
    const odd = await startFakeWooCommerce({ orders });
    try {
      const source = wooCommerceOrderSource({ ...config, baseUrl: odd.url, orderPrefix: "" }, fetch);
      expect(await source.findOwnedOrder("5", "a@example.com", signal())).toBeNull();
      expect(await source.findOwnedOrder("6", "a@example.com", signal())).toBeNull();
      // One odd order is that order's data, not an outage: it must not count against the shared breaker.
      await expect(source.findOwnedOrder("7", "a@example.com", signal())).rejects.toMatchObject({
        code: "invalid_input:woocommerce_order",
      });
    } finally {
      await odd.close();
    }
  });
});

describe("get_order over WooCommerce", () => {
  it("serves a verified identity's own order without asking for the email, and nobody else's", async () => {
    // get_order uses only the order source; the other ports are inert.
    const ports: HandPorts = {
      orders: wooCommerceOrderSource(config, fetch),
      lookups: new MemoryLookupQuota(5),
      kb: { search: async () => [] },
      tickets: { open: async (t) => ({ reference: t.reference, created: false }) },
      handoffs: { request: async () => ({ created: false }) },
    };
    const ctx = (email: string) => ({
      callId: "c1",
      threadId: "t1",
      channel: "web" as const,
      identity: { sub: "7", email },
      now: new Date(),
      signal: signal(),
      ports,
    });
    const mine = await getOrder.run({ order_id: "FH-100231", email: null }, ctx("ana.kovac@example.com"));
    expect(mine).toMatchObject({ found: true, order: { order_number: "FH-100231", status: "shipped" } });
    const theirs = await getOrder.run(
      { order_id: "FH-100231", email: null },
      ctx("lukas.brandt@example.net"),
    );
    expect(theirs).toMatchObject({ found: false, code: "not_found:order" });
  });
});

describe("orderId", () => {
  it.each([
    ["FH-100231", "FH-", "100231"],
    ["#fh 100231", "FH-", "100231"],
    ["100231", "FH-", "100231"],
    ["#1234", "", "1234"],
    ["0042", "", "42"],
    ["FH-12a", "FH-", null],
    ["XY-1", "FH-", null],
    ["", "", null],
    ["1234567890123", "", null],
  ])("%s with prefix %s is %s", (input, prefix, id) => {
    expect(orderId(input, prefix)).toBe(id);
  });
});

describe("parseWooCommerceConfig", () => {
  const env = {
    ORDER_SOURCE: "woocommerce",
    WOOCOMMERCE_URL: "https://shop.example/",
    WOOCOMMERCE_CONSUMER_KEY: "ck_x",
    WOOCOMMERCE_CONSUMER_SECRET: "cs_y",
  };

  it("reads a complete configuration", () => {
    expect(parseWooCommerceConfig({ ...env, WOOCOMMERCE_ORDER_PREFIX: "FH-" })).toEqual({
      ok: true,
      value: {
        baseUrl: "https://shop.example",
        consumerKey: "ck_x",
        consumerSecret: "cs_y",
        orderPrefix: "FH-",
        auth: "basic",
      },
    });
  });

  it("names a missing key or plain http to a remote shop, never a value", () => {
    expect(parseWooCommerceConfig({ ...env, WOOCOMMERCE_CONSUMER_SECRET: "" })).toEqual({
      ok: false,
      problems: [
        { key: "WOOCOMMERCE_CONSUMER_SECRET", problem: "is required when ORDER_SOURCE=woocommerce" },
      ],
    });
    const plain = parseWooCommerceConfig({ ...env, WOOCOMMERCE_URL: "http://shop.example" });
    expect(plain).toMatchObject({ ok: false, problems: [{ key: "WOOCOMMERCE_URL" }] });
    expect(JSON.stringify(plain)).not.toContain("shop.example");
    const local = parseWooCommerceConfig({ ...env, WOOCOMMERCE_URL: "http://127.0.0.1:8790" });
    expect(local.ok && local.value.baseUrl).toBe("http://127.0.0.1:8790");
  });
});
