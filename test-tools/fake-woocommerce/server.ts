// A local stand-in for a WooCommerce shop's REST API, for testing the WooCommerce order source
// (core/hands/woocommerce-orders.ts) without a WordPress install: GET /wp-json/wc/v3/orders/{id} with the same
// authentication rules (consumer key and secret over HTTP Basic or query parameters), error bodies and order
// shape as WooCommerce 9. Seeded from demo/orders.json by default; failures and latency can be injected.
// Tests start it with startFakeWooCommerce(); other processes (wrangler dev) use cli.ts.

import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";

export interface FakeWooCommerceOptions {
  port?: number;
  host?: string;
  consumerKey?: string;
  consumerSecret?: string;
  orders?: WcOrder[];
  latencyMs?: number;
}

export interface FakeWooCommerce {
  /** The shop's base URL; the API is under /wp-json/wc/v3. */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  /** Paths (without query strings) requested so far. */
  requests: string[];
  /** Answer every API request with this status until cleared with null. */
  failWith(status: number | null): void;
  close(): Promise<void>;
}

export type WcOrder = Record<string, unknown> & { id: number; billing: { email: string } };

const demoOrderSchema = z.array(
  z.object({
    order_number: z.string(),
    email: z.string(),
    customer_name: z.string(),
    status: z.string(),
    placed_at: z.string(),
    updated_at: z.string(),
    currency: z.string(),
    total_cents: z.number(),
    items: z.array(z.object({ name: z.string(), quantity: z.number(), unit_price_cents: z.number() })),
    shipping_country: z.string(),
    carrier: z.string().nullable(),
    tracking_number: z.string().nullable(),
    tracking_url: z.string().nullable(),
  }),
);

/** The agent's statuses as a shop would store them: core statuses where they exist, custom ones otherwise. */
const WC_STATUS: Record<string, string> = {
  pending_payment: "pending",
  processing: "processing",
  cancelled: "cancelled",
  refunded: "refunded",
};

/** demo/orders.json as WooCommerce orders: FH-100231 becomes order 100231, tracking in Shipment Tracking meta. */
export function demoWooOrders(): WcOrder[] {
  const demo = demoOrderSchema.parse(
    JSON.parse(readFileSync(new URL("../../demo/orders.json", import.meta.url), "utf8")),
  );
  return demo.map((o) => {
    const id = Number(o.order_number.replace(/\D/g, ""));
    const wcDate = (iso: string) => iso.replace(/\.\d+Z$|Z$/, "");
    return {
      id,
      number: String(id),
      status: WC_STATUS[o.status] ?? o.status.replaceAll("_", "-"),
      currency: o.currency,
      total: (o.total_cents / 100).toFixed(2),
      date_created_gmt: wcDate(o.placed_at),
      date_modified_gmt: wcDate(o.updated_at),
      customer_id: 0,
      billing: {
        first_name: o.customer_name.split(" ")[0] ?? "",
        email: o.email,
        country: o.shipping_country,
      },
      shipping: { country: o.shipping_country },
      line_items: o.items.map((item, i) => ({
        id: i + 1,
        name: item.name,
        quantity: item.quantity,
        total: ((item.unit_price_cents * item.quantity) / 100).toFixed(2),
      })),
      meta_data: o.tracking_number
        ? [
            {
              id: 1,
              key: "_wc_shipment_tracking_items",
              value: [
                {
                  tracking_provider: o.carrier ?? "",
                  custom_tracking_provider: "",
                  tracking_number: o.tracking_number,
                  custom_tracking_link: o.tracking_url ?? "",
                },
              ],
            },
          ]
        : [],
    };
  });
}

const wpError = (code: string, message: string, status: number) => ({ code, message, data: { status } });

export async function startFakeWooCommerce(options: FakeWooCommerceOptions = {}): Promise<FakeWooCommerce> {
  const consumerKey = options.consumerKey ?? "ck_fake_read_only_key";
  const consumerSecret = options.consumerSecret ?? "cs_fake_read_only_secret";
  const orders = new Map((options.orders ?? demoWooOrders()).map((o) => [o.id, o]));
  const requests: string[] = [];
  let failure: number | null = null;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake.local");
    requests.push(url.pathname);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
      res.end(JSON.stringify(body));
    };
    setTimeout(() => {
      if (!url.pathname.startsWith("/wp-json/wc/v3/")) {
        return send(
          404,
          wpError("rest_no_route", "No route was found matching the URL and request method.", 404),
        );
      }
      if (failure !== null)
        return send(failure, wpError("internal_server_error", "Injected failure.", failure));
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const [key, secret] = basic
        ? Buffer.from(basic, "base64").toString("utf8").split(":")
        : [url.searchParams.get("consumer_key"), url.searchParams.get("consumer_secret")];
      if (key !== consumerKey || secret !== consumerSecret) {
        return send(
          401,
          wpError("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.", 401),
        );
      }
      const match = /^\/wp-json\/wc\/v3\/orders\/(\d+)$/.exec(url.pathname);
      if (req.method !== "GET" || !match) {
        return send(
          404,
          wpError("rest_no_route", "No route was found matching the URL and request method.", 404),
        );
      }
      const order = orders.get(Number(match[1]));
      if (!order) return send(404, wpError("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", 404));
      return send(200, order);
    }, options.latencyMs ?? 0);
  });

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve),
  );
  const address = server.address();
  const port = typeof address === "object" && address ? (address satisfies AddressInfo).port : 0;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    consumerKey,
    consumerSecret,
    requests,
    failWith(status) {
      failure = status;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
