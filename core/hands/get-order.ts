/**
 * get_order: an order's status, only for someone who proved they own it: the order number together with the
 * email used for it, or a verified logged-in email. A wrong number and a wrong email get the same answer, so
 * the tool cannot be used to find out which orders exist.
 */
import { z } from "zod";
import { cleanString } from "../contracts/text.ts";
import { sha256Hex } from "../ids.ts";
import { defineHand, type HandContext } from "./define-hand.ts";
import type { OrderView } from "./ports.ts";

export const getOrderInput = z.strictObject({
  order_id: cleanString()
    .trim()
    .min(3)
    .max(40)
    .nullable()
    .describe(
      "The order number, e.g. FH-100231; null only if the visitor is logged in and named no order: their recent orders.",
    ),
  email: cleanString()
    .trim()
    .max(254)
    .nullable()
    .describe("The email address used for the order; null only if the visitor is logged in."),
});

const orderSchema = z.object({
  order_number: z.string(),
  status: z.string(),
  placed_at: z.string(),
  updated_at: z.string(),
  total: z.string(),
  items: z.array(z.object({ name: z.string(), quantity: z.number() })),
  shipping_country: z.string(),
  carrier: z.string().nullable(),
  tracking_number: z.string().nullable(),
  tracking_url: z.string().nullable(),
  estimated_delivery: z.string().nullable(),
});

export const getOrderOutput = z.union([
  z.object({ found: z.literal(true), order: orderSchema }),
  /** A signed-in visitor's recent orders, newest first, when they named none. */
  z.object({ found: z.literal(true), orders: z.array(orderSchema).min(1) }),
  z.object({ found: z.literal(false), code: z.string(), hint: z.string() }),
]);
export type GetOrderOutput = z.infer<typeof getOrderOutput>;

const NOT_FOUND = {
  found: false as const,
  code: "not_found:order",
  hint: "No order matches this order number and email. Ask the visitor to check both; do not guess.",
};

export const getOrder = defineHand({
  name: "get_order",
  description:
    "Look up the status, items and tracking of ONE order. Requires the order number and the email address used for the order (unless the visitor is logged in). Never guess either value.",
  input: getOrderInput,
  output: getOrderOutput,
  dispatch: "inline",
  async run(input, ctx): Promise<GetOrderOutput> {
    const email = (input.email || ctx.identity?.email || "").toLowerCase();
    if (!email.includes("@")) {
      return {
        found: false,
        code: "invalid_input:email",
        hint: "Ask for the email address used for the order.",
      };
    }
    if (input.order_id === null) return recentOrders(ctx);
    const keys = await quotaKeys(ctx, email);
    // Past the quota, the same answer as a wrong number, and the order source is not asked at all.
    if (await ctx.ports.lookups.exhausted(keys)) return NOT_FOUND;
    const orderNumber = normaliseOrderNumber(input.order_id);
    const order = await ctx.ports.orders.findOwnedOrder(orderNumber, email, ctx.signal);
    if (!order) {
      await ctx.ports.lookups.failed(keys);
      return NOT_FOUND;
    }
    return { found: true as const, order: view(order) };
  },
});

const RECENT_LIMIT = 3;

/**
 * "Where is my order?" from a signed-in visitor: their own recent orders, found by the verified email only
 * (never an email from the conversation), so it shows nobody else's and needs no lookup quota.
 */
async function recentOrders(ctx: HandContext): Promise<GetOrderOutput> {
  const email = ctx.identity?.email.toLowerCase() ?? "";
  const list = ctx.ports.orders.recentOwnedOrders;
  if (!email.includes("@") || !list) {
    return { found: false, code: "invalid_input:order_id", hint: "Ask for the order number." };
  }
  const orders = await list(email, RECENT_LIMIT, ctx.signal);
  const [first, ...rest] = orders.map(view);
  if (!first) {
    return {
      found: false,
      code: "not_found:recent_orders",
      hint: "This account has no orders. Ask for the order number and the email used for it.",
    };
  }
  return { found: true as const, orders: [first, ...rest] };
}

function view(order: OrderView): z.infer<typeof orderSchema> {
  return {
    order_number: order.orderNumber,
    status: order.status,
    placed_at: order.placedAt,
    updated_at: order.updatedAt,
    total: formatMoney(order.totalCents, order.currency),
    items: order.items,
    shipping_country: order.shippingCountry,
    carrier: order.carrier,
    tracking_number: order.trackingNumber,
    tracking_url: order.trackingUrl,
    estimated_delivery: order.estimatedDelivery,
  };
}

/**
 * Whose failed lookups this one counts against: the thread, and the email (hashed: a quota's name is no second
 * customer file), or for the signed-in visitor's own verified email their sign-in, since walking the numbers of
 * one's own email finds nobody else's orders, and a stranger who knows that email must not lock its owner out.
 */
async function quotaKeys(ctx: HandContext, email: string): Promise<string[]> {
  const own = ctx.identity && ctx.identity.email.toLowerCase() === email ? ctx.identity : null;
  return [
    `thread:${ctx.threadId}`,
    own ? `sub:${await sha256Hex(own.sub)}` : `email:${await sha256Hex(email)}`,
  ];
}

/** "#fh 100231", "fh-100231" and "FH100231" all name FH-100231. */
export function normaliseOrderNumber(raw: string): string {
  const compact = raw.toUpperCase().replace(/[^A-Z0-9]/g, "");
  const match = /^([A-Z]{1,4})(\d+)$/.exec(compact);
  return match ? `${match[1]}-${match[2]}` : compact;
}

function formatMoney(cents: number, currency: string): string {
  return `${(cents / 100).toFixed(2)} ${currency}`;
}
