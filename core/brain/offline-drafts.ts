/**
 * How the offline brain writes an answer from tool results: order status in a sentence, ticket and handoff
 * confirmations, and extractive answers that quote the best sentences of the retrieved passages with their
 * citation markers. No text is invented beyond these templates.
 */
import { z } from "zod";
import { languageSchema } from "../contracts/language.ts";
import { getOrderOutput } from "../hands/get-order.ts";
import type { ScratchItem } from "./brain.ts";
import { extractiveAnswer } from "./extractive-answer.ts";
import type { Language } from "./languages.ts";
import { offlinePhrases, type Phrases } from "./offline-phrases.ts";
import type { ShopProfile } from "./prompts.ts";
import type { AskedQuestion } from "./question-shape.ts";

type Result = Extract<ScratchItem, { kind: "result" }>;

const passagesSchema = z.object({
  results: z.array(
    z.object({
      ref: z.string(),
      title: z.string(),
      section: z.string().optional(),
      language: languageSchema.default("en"),
      text: z.string(),
    }),
  ),
});
const queuedSchema = z.object({ status: z.literal("queued"), reference: z.string() });

export function draftFromResults(
  question: string,
  results: readonly Result[],
  shop: ShopProfile,
  lang: Language = "en",
  /** For a follow-up, the visitor's own short message: what is newly asked within the carried topic. */
  focus?: string,
  /** The question in the visitor's own words, when `question` is an English gloss of it. */
  asked?: AskedQuestion,
): string {
  const say = offlinePhrases[lang];
  const parts: string[] = [];
  for (const result of results) {
    const text = describe(question, result, shop, say, lang, focus, asked);
    if (text && !parts.includes(text)) parts.push(text);
  }
  return parts.length > 0 ? parts.join("\n\n") : say.nothingFound;
}

function describe(
  question: string,
  result: Result,
  shop: ShopProfile,
  say: Phrases,
  lang: Language,
  focus?: string,
  asked?: AskedQuestion,
): string | null {
  let content: unknown;
  try {
    content = JSON.parse(result.content);
  } catch {
    return null;
  }
  if (typeof content === "object" && content !== null && "error" in content) {
    return result.name === "search_kb" || result.name === "get_order" ? say.couldNotCheck : say.couldNotPass;
  }
  switch (result.name) {
    case "search_kb": {
      const parsed = passagesSchema.safeParse(content);
      if (!parsed.success) return null;
      const answer = extractiveAnswer(question, parsed.data.results, focus, asked);
      if (!answer) return null;
      // A passage in another language than the visitor's (an article not translated) is quoted as written,
      // after a note in the visitor's language that names the language it is in.
      const other = parsed.data.results.find((p) => answer.includes(`[${p.ref}]`) && p.language !== lang);
      return other ? `${say.onlyIn(other.language)}\n\n${answer}` : answer;
    }
    case "get_order": {
      const parsed = getOrderOutput.safeParse(content);
      if (!parsed.success) return null;
      const data = parsed.data;
      if (!data.found) {
        return data.code === "not_found:order" || data.code === "invalid_input:email"
          ? say.orderNotFound
          : say.askOrderNumber;
      }
      if ("order" in data) return orderSentence(data.order, say);
      const [only, ...more] = data.orders;
      if (only && more.length === 0) return orderSentence(only, say);
      // Several recent orders: one line each, newest first, so the visitor can say which one they mean.
      return [say.recentOrders, ...data.orders.map((o) => `- ${orderSentence(o, say)}`)].join("\n");
    }
    case "create_ticket": {
      const parsed = queuedSchema.safeParse(content);
      return parsed.success ? say.ticketOpened(parsed.data.reference) : null;
    }
    case "handoff_human":
      return say.handedOff(shop.supportHours);
    default:
      return null;
  }
}

type OrderResult = Extract<z.infer<typeof getOrderOutput>, { order: unknown }>["order"];

function orderSentence(order: OrderResult, say: Phrases): string {
  const status = say.status[order.status] ?? `(${order.status.replaceAll("_", " ")})`;
  const sentences = [say.order(order.order_number, status)];
  const closed = ["cancelled", "refunded"].includes(order.status);
  if (order.carrier && order.tracking_number && !closed) {
    const tracking = order.tracking_url
      ? `[${order.tracking_number}](${order.tracking_url})`
      : order.tracking_number;
    sentences.push(
      order.status === "delivered"
        ? say.deliveredBy(order.carrier, tracking)
        : say.travelling(order.carrier, tracking),
    );
  }
  if (order.estimated_delivery && !["delivered", "cancelled", "refunded"].includes(order.status)) {
    sentences.push(say.estimated(order.estimated_delivery));
  }
  return sentences.join(" ");
}
