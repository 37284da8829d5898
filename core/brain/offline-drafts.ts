/**
 * How the offline brain writes an answer from tool results: order status in a sentence, ticket and handoff
 * confirmations, and extractive answers that quote the best sentences of the retrieved passages with their
 * citation markers. No text is invented beyond these templates.
 */
import { z } from "zod";
import { getOrderOutput } from "../hands/get-order.ts";
import type { ScratchItem } from "./brain.ts";
import { extractiveAnswer } from "./extractive-answer.ts";
import type { ShopProfile } from "./prompts.ts";

type Result = Extract<ScratchItem, { kind: "result" }>;

const passagesSchema = z.object({
  results: z.array(
    z.object({ ref: z.string(), title: z.string(), section: z.string().optional(), text: z.string() }),
  ),
});
const queuedSchema = z.object({ status: z.literal("queued"), reference: z.string() });

const STATUS_TEXT: Record<string, string> = {
  pending_payment: "is waiting for payment",
  processing: "is being prepared in our warehouse",
  shipped: "has been shipped",
  in_transit: "is on its way",
  out_for_delivery: "is out for delivery today",
  delivered: "has been delivered",
  delayed: "is delayed",
  cancelled: "has been cancelled",
  refunded: "has been refunded",
  return_requested: "has a return in progress",
  partially_shipped: "has been partly shipped",
};

export function draftFromResults(question: string, results: readonly Result[], shop: ShopProfile): string {
  const parts: string[] = [];
  for (const result of results) {
    const text = describe(question, result, shop);
    if (text && !parts.includes(text)) parts.push(text);
  }
  return parts.length > 0
    ? parts.join("\n\n")
    : "I couldn't find anything on that. Would you like me to connect you with our team?";
}

function describe(question: string, result: Result, shop: ShopProfile): string | null {
  let content: unknown;
  try {
    content = JSON.parse(result.content);
  } catch {
    return null;
  }
  if (typeof content === "object" && content !== null && "error" in content) {
    return result.name === "search_kb" || result.name === "get_order"
      ? "I couldn't check that just now."
      : "I couldn't pass this on to our team just now.";
  }
  switch (result.name) {
    case "search_kb": {
      const parsed = passagesSchema.safeParse(content);
      return parsed.success ? extractiveAnswer(question, parsed.data.results) : null;
    }
    case "get_order": {
      const parsed = getOrderOutput.safeParse(content);
      if (!parsed.success) return null;
      const data = parsed.data;
      if (!data.found) {
        return data.code === "not_found:order" || data.code === "invalid_input:email"
          ? "I couldn't find an order with that order number and email address. Please check both (the order number starts with FH- and is in your confirmation email)."
          : "Please send me your order number (it starts with FH-) and I'll look it up.";
      }
      if ("order" in data) return orderSentence(data.order);
      const [only, ...more] = data.orders;
      if (only && more.length === 0) return orderSentence(only);
      // Several recent orders: one line each, newest first, so the visitor can say which one they mean.
      return [
        "Here are your most recent orders:",
        ...data.orders.map((o) => `- ${orderSentence(o).replace(/^Your order /, "")}`),
      ].join("\n");
    }
    case "create_ticket": {
      const parsed = queuedSchema.safeParse(content);
      return parsed.success
        ? `I've passed this to our support team (reference ${parsed.data.reference}). They'll reply by email within one business day.`
        : null;
    }
    case "handoff_human":
      return `I've asked a member of our team to join this conversation. They're available ${shop.supportHours}; outside those hours they'll reply here as soon as they're back.`;
    default:
      return null;
  }
}

type OrderResult = Extract<z.infer<typeof getOrderOutput>, { order: unknown }>["order"];

function orderSentence(order: OrderResult): string {
  const status = STATUS_TEXT[order.status] ?? `has the status "${order.status.replaceAll("_", " ")}"`;
  const sentences = [`Your order ${order.order_number} ${status}.`];
  const closed = ["cancelled", "refunded"].includes(order.status);
  if (order.carrier && order.tracking_number && !closed) {
    const tracking = order.tracking_url
      ? `[${order.tracking_number}](${order.tracking_url})`
      : order.tracking_number;
    sentences.push(
      order.status === "delivered"
        ? `${order.carrier} delivered it (tracking number ${tracking}).`
        : `It's travelling with ${order.carrier}, tracking number ${tracking}.`,
    );
  }
  if (order.estimated_delivery && !["delivered", "cancelled", "refunded"].includes(order.status)) {
    sentences.push(`Estimated delivery: ${order.estimated_delivery}.`);
  }
  return sentences.join(" ");
}
