/**
 * The OrderSource for shops on WooCommerce: reads one order from the shop's REST API
 * (GET /wp-json/wc/v3/orders/{id}) with a read-only consumer key, and returns it only when the billing email
 * matches, exactly like the Postgres source. One request per lookup whether the number is unknown or the
 * email wrong, so neither answer nor timing tells which orders exist. Drafts and trashed orders are never
 * shown. The Worker builds it from the parsed config (core/config.ts) when ORDER_SOURCE=woocommerce; tested against
 * test-tools/fake-woocommerce.
 */
import { z } from "zod";
import { AppError } from "../errors.ts";
import type { OrderSource, OrderView } from "./ports.ts";

export interface WooCommerceConfig {
  /** The shop's base URL, e.g. "https://shop.example" (the REST API lives under /wp-json/wc/v3). */
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** Printed before WooCommerce's order number, e.g. "FH-" when customers see FH-100231 for order 100231. */
  orderPrefix: string;
  /** basic: HTTP Basic over HTTPS. query: keys as query parameters, for hosts that strip Authorization. */
  auth: "basic" | "query";
}

type WooKey =
  | "WOOCOMMERCE_URL"
  | "WOOCOMMERCE_CONSUMER_KEY"
  | "WOOCOMMERCE_CONSUMER_SECRET"
  | "WOOCOMMERCE_ORDER_PREFIX"
  | "WOOCOMMERCE_AUTH";

/**
 * The WooCommerce settings (for ORDER_SOURCE=woocommerce): all of WOOCOMMERCE_URL, _CONSUMER_KEY and
 * _CONSUMER_SECRET, or the problems by key name. The URL must be https (http only for a local shop). Called by
 * core/config.ts, which owns reading the environment.
 */
export function parseWooCommerceConfig(
  s: Partial<Record<WooKey, string>>,
): { ok: true; value: WooCommerceConfig } | { ok: false; problems: { key: WooKey; problem: string }[] } {
  const problems: { key: WooKey; problem: string }[] = [];
  const required = ["WOOCOMMERCE_URL", "WOOCOMMERCE_CONSUMER_KEY", "WOOCOMMERCE_CONSUMER_SECRET"] as const;
  for (const key of required)
    if (!s[key]?.trim()) problems.push({ key, problem: "is required when ORDER_SOURCE=woocommerce" });
  const raw = s.WOOCOMMERCE_URL?.trim() ?? "";
  const url = raw && URL.canParse(raw) ? new URL(raw) : null;
  if (raw && !url) problems.push({ key: "WOOCOMMERCE_URL", problem: "is not a URL" });
  const local = url !== null && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url && url.protocol !== "https:" && !(local && url.protocol === "http:"))
    problems.push({ key: "WOOCOMMERCE_URL", problem: "must use https (keys travel with every request)" });
  const auth = s.WOOCOMMERCE_AUTH?.trim() || "basic";
  if (auth !== "basic" && auth !== "query")
    problems.push({ key: "WOOCOMMERCE_AUTH", problem: "is not basic or query" });
  if (problems.length > 0 || !url) return { ok: false, problems };
  return {
    ok: true,
    value: {
      baseUrl: url.href.replace(/\/+$/, ""),
      consumerKey: s.WOOCOMMERCE_CONSUMER_KEY?.trim() ?? "",
      consumerSecret: s.WOOCOMMERCE_CONSUMER_SECRET?.trim() ?? "",
      orderPrefix: s.WOOCOMMERCE_ORDER_PREFIX?.trim() ?? "",
      auth: auth === "query" ? "query" : "basic",
    },
  };
}

const trackingSchema = z.object({
  tracking_provider: z.string().optional(),
  custom_tracking_provider: z.string().optional(),
  tracking_number: z.string().optional(),
  custom_tracking_link: z.string().optional(),
});

const wcOrderSchema = z.object({
  id: z.number(),
  number: z.union([z.string(), z.number()]).transform(String),
  status: z.string(),
  currency: z.string(),
  total: z.string(),
  date_created_gmt: z.string().nullable(),
  date_modified_gmt: z.string().nullable(),
  billing: z.object({ email: z.string().nullable().optional(), country: z.string().optional() }),
  shipping: z.object({ country: z.string().optional() }).optional(),
  line_items: z.array(z.object({ name: z.string(), quantity: z.number() })),
  meta_data: z.array(z.object({ key: z.string(), value: z.unknown() })).default([]),
});
type WcOrder = z.infer<typeof wcOrderSchema>;

/** Orders a customer must never see through the agent. */
const HIDDEN_STATUSES = new Set(["checkout-draft", "trash", "auto-draft"]);

/** WooCommerce's statuses in the agent's vocabulary; custom statuses ("in-transit") pass through as in_transit. */
const STATUS = new Map([
  ["pending", "pending_payment"],
  ["on-hold", "pending_payment"],
  ["failed", "payment_failed"],
  ["processing", "processing"],
  ["completed", "shipped"],
  ["cancelled", "cancelled"],
  ["refunded", "refunded"],
]);

export function wooCommerceOrderSource(config: WooCommerceConfig, fetcher: typeof fetch): OrderSource {
  return {
    async findOwnedOrder(orderNumber, email, signal) {
      const id = orderId(orderNumber, config.orderPrefix);
      if (!id) return null;
      const url = new URL(`${config.baseUrl}/wp-json/wc/v3/orders/${id}`);
      const headers: Record<string, string> = { accept: "application/json" };
      if (config.auth === "query") {
        url.searchParams.set("consumer_key", config.consumerKey);
        url.searchParams.set("consumer_secret", config.consumerSecret);
      } else {
        headers.authorization = `Basic ${btoa(`${config.consumerKey}:${config.consumerSecret}`)}`;
      }
      let res: Response;
      try {
        res = await fetcher(url, { headers, signal, redirect: "manual" });
      } catch (cause) {
        throw new AppError("upstream:woocommerce", "The shop's order API could not be reached.", { cause });
      }
      if (res.status === 404) {
        await res.body?.cancel();
        return null;
      }
      if (!res.ok) {
        await res.body?.cancel();
        // 5xx, and refusals of the agent itself (keys, throttling), are the shop's API failing everyone; any
        // other 4xx is about this request, and must not count against the shared breaker.
        const upstream = res.status >= 500 || [401, 403, 408, 429].includes(res.status);
        throw new AppError(
          upstream ? "upstream:woocommerce" : "invalid_input:woocommerce_request",
          `The shop's order API answered ${res.status}.`,
        );
      }
      const body: unknown = await res.json().catch(() => undefined);
      if (body === undefined)
        throw new AppError("upstream:woocommerce", "The shop's order API sent something that is not JSON.");
      const parsed = wcOrderSchema.safeParse(body);
      // One order the API describes oddly says nothing about the API's health.
      if (!parsed.success)
        throw new AppError(
          "invalid_input:woocommerce_order",
          "The shop's order API sent an unexpected order.",
        );
      const order = parsed.data;
      if (HIDDEN_STATUSES.has(order.status) || order.number !== id) return null;
      if ((order.billing.email ?? "").trim().toLowerCase() !== email.trim().toLowerCase()) return null;
      return toView(order, config.orderPrefix);
    },
  };
}

/** "FH-100231" with prefix "FH-" (or "fh100231", "#100231") is WooCommerce order 100231; anything else is none. */
export function orderId(orderNumber: string, prefix: string): string | null {
  const compact = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, "");
  let rest = compact(orderNumber);
  const p = compact(prefix);
  if (p && rest.startsWith(p)) rest = rest.slice(p.length);
  return /^\d{1,12}$/.test(rest) ? rest.replace(/^0+(?=\d)/, "") : null;
}

function toView(order: WcOrder, prefix: string): OrderView {
  const tracking = shipmentTracking(order.meta_data);
  return {
    orderNumber: `${prefix}${order.number}`,
    status: STATUS.get(order.status) ?? order.status.replaceAll("-", "_"),
    placedAt: gmt(order.date_created_gmt),
    updatedAt: gmt(order.date_modified_gmt ?? order.date_created_gmt),
    currency: order.currency,
    totalCents: cents(order.total),
    items: order.line_items.map((i) => ({ name: i.name, quantity: i.quantity })),
    shippingCountry: order.shipping?.country || order.billing.country || "",
    carrier: tracking?.carrier ?? null,
    trackingNumber: tracking?.number ?? null,
    trackingUrl: tracking?.url ?? null,
    estimatedDelivery: null,
  };
}

/** The Shipment Tracking extension's latest entry, when the shop uses it (core WooCommerce has no tracking). */
function shipmentTracking(meta: WcOrder["meta_data"]) {
  const items = z
    .array(trackingSchema)
    .safeParse(meta.find((m) => m.key === "_wc_shipment_tracking_items")?.value);
  const last = items.success ? items.data.at(-1) : undefined;
  if (!last?.tracking_number) return null;
  const link = last.custom_tracking_link ?? "";
  return {
    carrier: last.custom_tracking_provider || last.tracking_provider || null,
    number: last.tracking_number,
    url: /^https:\/\//i.test(link) ? link : null,
  };
}

/** WooCommerce's *_gmt fields are UTC without a zone designator. */
function gmt(value: string | null): string {
  if (!value) return new Date(0).toISOString();
  const date = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

/** "189.90" -> 18990 without floating-point rounding. */
function cents(total: string): number {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(total.trim());
  if (!m) return 0;
  const value = Number(m[2]) * 100 + Number((m[3] ?? "").padEnd(2, "0").slice(0, 2));
  return m[1] ? -value : value;
}
