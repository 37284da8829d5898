/**
 * How the offline brain writes an answer from tool results: order status in a sentence, ticket and handoff
 * confirmations, and extractive answers that quote the best sentences of the retrieved passages with their
 * citation markers. No text is invented beyond these templates.
 */
import { z } from "zod";
import { getOrderOutput } from "../hands/get-order.ts";
import type { ScratchItem } from "./brain.ts";
import { canonical, isFiller, normalise } from "./offline-router-text.ts";
import type { ShopProfile } from "./prompts.ts";

type Result = Extract<ScratchItem, { kind: "result" }>;

const passagesSchema = z.object({
  results: z.array(z.object({ ref: z.string(), title: z.string(), text: z.string() })),
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
      if (!parsed.data.found) {
        return "I couldn't find an order with that order number and email address. Please check both (the order number starts with FH- and is in your confirmation email).";
      }
      return orderSentence(parsed.data.order);
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

function orderSentence(order: Extract<z.infer<typeof getOrderOutput>, { found: true }>["order"]): string {
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

/**
 * Picks the passage sentences that share the most content words with the question, in reading order. A
 * sentence that introduces a list or table ("it usually takes:") keeps its items, since they are the answer.
 */
function extractiveAnswer(
  question: string,
  passages: z.infer<typeof passagesSchema>["results"],
): string | null {
  const wanted = new Set(contentStems(question));
  const [best] = passages;
  if (!best) return null;
  const scored = passages.slice(0, 2).flatMap((p, passageRank) =>
    textUnits(p.text).map((unit, position) => {
      const stems = contentStems(unit.lead);
      const overlap = stems.filter((s) => wanted.has(s)).length;
      return {
        ref: p.ref,
        unit,
        position,
        passageRank,
        score: overlap / Math.sqrt(stems.length + 1) - passageRank * 0.2,
      };
    }),
  );
  const chosen = scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, 3)
    .sort((a, b) => a.passageRank - b.passageRank || a.position - b.position);
  const picked =
    chosen.length > 0
      ? chosen
      : textUnits(best.text)
          .slice(0, 2)
          .map((unit) => ({ ref: best.ref, unit }));
  return picked
    .map(({ ref, unit }) =>
      unit.items.length > 0
        ? `${unit.lead}\n${unit.items.map((item) => `- ${item}`).join("\n")} [${ref}]\n`
        : `${unit.lead.replace(/[.!?:]*$/, "")} [${ref}].`,
    )
    .join(" ")
    .replace(/\n /g, "\n\n")
    .trim();
}

interface TextUnit {
  lead: string;
  /** The list or table rows a lead sentence ending in ":" introduces. */
  items: string[];
}

function textUnits(text: string): TextUnit[] {
  const lines = text.split(/\n+/).map((line) => line.trim());
  const separator = (line: string | undefined) =>
    line !== undefined && /^\|?[\s:|-]+\|?$/.test(line) && line.includes("-");
  const units: TextUnit[] = [];
  let open: TextUnit | null = null;
  for (const [i, raw] of lines.entries()) {
    // Headings, table separators and table header rows (the row above a separator) carry no answer.
    if (/^#{1,6}\s/.test(raw) || separator(raw) || separator(lines[i + 1])) continue;
    const listItem = /^(?:[-*+]|\d+\.)\s+/.test(raw) || raw.startsWith("|");
    const line = (raw.startsWith("|") ? tableRow(raw) : raw.replace(/^(?:[-*+]|\d+\.)\s+/, "")).replaceAll(
      "**",
      "",
    );
    if (listItem && open) {
      if (open.items.length < 6) open.items.push(line);
      continue;
    }
    open = null;
    for (const sentence of line.split(/(?<=[.!?:])\s+(?=[A-Z0-9])/).map((s) => s.trim())) {
      if (sentence.length <= 20 || sentence.length >= 400) continue;
      const unit: TextUnit = { lead: sentence, items: [] };
      units.push(unit);
      if (sentence.endsWith(":")) open = unit;
    }
  }
  // A lead whose list never came is an unfinished sentence.
  return units.filter((u) => !u.lead.endsWith(":") || u.items.length > 0);
}

function contentStems(text: string): string[] {
  return normalise(text)
    .filter((w) => !isFiller(w) && w.length > 2)
    .map(canonical);
}

/** "| Germany | 1-3 days | EUR 4.95 |" reads as "Germany: 1-3 days, EUR 4.95". */
function tableRow(line: string): string {
  const [head, ...rest] = line
    .split("|")
    .map((c) => c.trim())
    .filter(Boolean);
  return rest.length > 0 ? `${head}: ${rest.join(", ")}` : (head ?? "");
}
