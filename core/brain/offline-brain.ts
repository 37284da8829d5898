/**
 * The offline brain: the same interface as the LLM brain, with no model at all. It routes by nearest labelled
 * examples (offline-router.ts), fills tool arguments with patterns (order numbers, emails), and drafts
 * extractive answers from what the tools returned, citing the passages it quotes. A Spanish, German or French
 * question is routed by its English gloss and searched by the gloss and its own words, so the help centre's
 * translations answer it in its language where they exist. Used when no model is
 * configured, and honest about it: replies carry `offline` in their metadata.
 */
import type { Brain, BrainInput, Decision, HistoryItem, ScratchItem, Usage } from "./brain.ts";
import type { HandoffClass } from "./handoff-classes.ts";
import { detectLanguage, englishGloss, type Language, searchWords } from "./languages.ts";
import { draftFromResults } from "./offline-drafts.ts";
import { offlinePhrases, type Phrases } from "./offline-phrases.ts";
import { createOfflineRouter, type OfflineRouter } from "./offline-router.ts";
import type { ShopProfile } from "./prompts.ts";

const NO_USAGE: Usage = { promptTokens: 0, completionTokens: 0 };
const ORDER_NUMBER = /\b([A-Za-z]{2,4})[- #]?(\d{5,8})\b/;
// "order 100231", "order number 100231", "order #100231": the number without its shop prefix.
const BARE_ORDER_NUMBER = /\border\s*(?:number|no\.?|nr\.?)?\s*#?\s*(\d{5,8})\b|#(\d{5,8})\b/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
// What staff read first in the handoff (Slack and the console): why a person is needed, never the visitor's words.
const HANDOFF_REASONS: Record<HandoffClass | "asked", string> = {
  asked: "The visitor asked for a person or needs one.",
  safety: "Product safety: the visitor reports a hazard (gas, fire, heat, a battery or an injury). Urgent.",
  payment_dispute: "Payment dispute: the visitor reports a double, wrong or unrecognised charge.",
};

export function createOfflineBrain(shop: ShopProfile, router: OfflineRouter = createOfflineRouter()): Brain {
  return {
    kind: "offline",
    hasFallback: false,
    modelName: () => "offline",
    async decide(input) {
      const decision = input.scratch.length === 0 ? plan(input, router, shop) : draft(input, shop, router);
      return decision;
    },
  };
}

function plan(input: BrainInput, router: OfflineRouter, shop: ShopProfile): Decision {
  // Routed and searched in English (the help centre's language), answered in the visitor's.
  const lang = input.language ?? detectLanguage(input.message);
  const say = offlinePhrases[lang];
  const message = englishGloss(input.message, lang);
  const awaiting = lastAssistant(input.history)?.meta;
  const orderNumber = matchOrder(input.message);
  const email = matchEmail(input.message);
  // A reply to our own question ("what's your order number?") completes the earlier request.
  const answersUs = Boolean(awaiting?.awaiting && (orderNumber || email));
  const decision = answersUs ? null : router.route(message);
  const routed = decision?.tool ?? awaiting?.awaitingTool ?? "get_order";
  // "and to the UK?" after a help-centre question asks the same question about something else.
  const followUp = awaiting?.awaiting ? null : followUpQuery(message, input.history, router);
  if (followUp && !input.knowledgeUnavailable)
    return call("search_kb", { query: router.repair(followUp).slice(0, 500), top_k: 3 });
  // Only order routes are overridden: a person and out-of-scope questions keep the router's answer.
  const route =
    (routed === "get_order" || routed === "create_ticket") && asksHowItWorks(message, orderNumber)
      ? "search_kb"
      : routed;

  switch (route) {
    case "get_order": {
      const number = orderNumber ?? findInHistory(input.history, matchOrder);
      const address = email ?? findInHistory(input.history, matchEmail);
      if (number && (address || input.loggedIn))
        return call("get_order", { order_id: number, email: address });
      // Signed in and no number named: their recent orders, by the verified email alone.
      if (!number && input.loggedIn) return call("get_order", { order_id: null, email: null });
      return ask(number ? say.askEmailForOrder : say.askOrderAndEmail, "get_order");
    }
    case "create_ticket": {
      const address = email ?? findInHistory(input.history, matchEmail);
      if (!address && !input.loggedIn) {
        return ask(say.askEmailForTicket, "create_ticket");
      }
      const request =
        awaiting?.awaitingTool === "create_ticket"
          ? (lastUser(input.history) ?? input.message)
          : input.message;
      return call("create_ticket", {
        email: address,
        subject: summarise(request),
        body: request,
        priority: "normal",
      });
    }
    case "handoff_human":
      return call("handoff_human", {
        reason: HANDOFF_REASONS[decision?.handoff ?? "asked"],
        transcript_excerpt: [
          ...input.history.slice(-4).map((h) => `${h.role}: ${h.content}`),
          `user: ${input.message}`,
        ]
          .join("\n")
          .slice(-2000),
      });
    case "search_kb":
      if (input.knowledgeUnavailable) {
        return call("handoff_human", {
          reason: `Knowledge question while ${input.knowledgeUnavailable}.`,
          transcript_excerpt: `user: ${input.message}`.slice(0, 2000),
        });
      }
      // Typos repaired for the lexical search ("refnds" finds refunds); the question itself is answered as asked.
      // Another language's question keeps its own words too, for the articles translated into it.
      return call("search_kb", {
        query: searchQuery(router.repair(message), input.message, lang),
        top_k: 3,
      });
    case "none":
      return { kind: "reply", text: smallTalk(message, shop, say), usage: NO_USAGE };
    default: {
      const unreachable: never = route as never;
      return unreachable;
    }
  }
}

function draft(input: BrainInput, shop: ShopProfile, router: OfflineRouter): Decision {
  const results = input.scratch.filter(
    (s): s is Extract<ScratchItem, { kind: "result" }> => s.kind === "result",
  );
  // The question answered is the one searched: a follow-up's query carries the earlier topic.
  const searched = searchedQuery(input.scratch);
  const lang = input.language ?? detectLanguage(input.message);
  // A follow-up that asks its own question about the earlier topic ("does it cover normal wear?") was searched
  // with the topic carried in (plan made the same call on the same history); its own words are what the answer
  // must be about. One that asks the same question of something else ("and the Tarn Mid?") keeps the question.
  const message = englishGloss(input.message, lang);
  const followUp = searched !== null && followUpQuery(message, input.history, router) !== null;
  const focus = followUp && !FOLLOW_UP_START.test(message.trim()) ? message : undefined;
  // Another language's question is searched by its gloss, but how it asks is read from the visitor's own words;
  // a follow-up's question is the carried one, searched as a whole.
  const asked = lang !== "en" && !followUp ? { text: input.message, lang } : undefined;
  const text = draftFromResults(searched ?? input.message, results, shop, lang, focus, asked);
  // Say why a person was asked instead of the help centre.
  const why = input.knowledgeUnavailable ? `${offlinePhrases[lang].knowledgeUnavailable} ` : "";
  return { kind: "reply", text: `${why}${text}`, usage: NO_USAGE };
}

/** The English gloss for the English articles, then the visitor's own words for the translated ones. */
function searchQuery(gloss: string, message: string, lang: Language): string {
  return (lang === "en" ? gloss : `${gloss} ${searchWords(message, lang)}`).slice(0, 500);
}

function call(name: string, args: Record<string, unknown>): Decision {
  const id = `call_${crypto.randomUUID()}`;
  return { kind: "tool_calls", calls: [{ id, name, arguments: JSON.stringify(args) }], usage: NO_USAGE };
}

function ask(text: string, tool: string): Decision {
  return {
    kind: "reply",
    text,
    usage: NO_USAGE,
    awaiting: tool === "get_order" ? "order_details" : "email",
    awaitingTool: tool,
  };
}

function matchOrder(text: string): string | null {
  const match = ORDER_NUMBER.exec(text);
  if (match) return `${match[1]?.toUpperCase()}-${match[2]}`;
  const bare = BARE_ORDER_NUMBER.exec(text);
  return bare ? (bare[1] ?? bare[2] ?? null) : null;
}

const FOLLOW_UP_START = /^(?:and|what about|how about|also|plus|or)\b/i;
const PRONOUN = /\b(?:it|that|this|them|those|one)\b/i;
const QUESTION_FORM =
  /^\s*(?:how (?:long|much|many|soon)(?: (?:does|do|is|are|will))?|what(?: is| are|'s)?|which|when|can i|do you|do i|is|are|does)\b\s*/i;

/**
 * A short message that continues the previous help-centre question ("and to the UK?", "what about an unused
 * stove?", "does it cover normal wear?") becomes one search query: the earlier question without the names it
 * asked about (a new name replaces them: "Germany" by "UK", "Scree Low" by "Tarn Mid"), then the new words.
 * Null when the message stands on its own.
 */
export function followUpQuery(message: string, history: HistoryItem[], router: OfflineRouter): string | null {
  const text = message.trim();
  const words = text.split(/\s+/);
  if (words.length > 8 || !(FOLLOW_UP_START.test(text) || (words.length <= 6 && PRONOUN.test(text))))
    return null;
  const previous = lastUser(history);
  if (!previous || !isKnowledgeQuestion(previous, router)) return null;
  if (!FOLLOW_UP_START.test(text) && router.route(text).tool !== "none" && !PRONOUN.test(text)) return null;
  const introducesNames =
    /\b[A-Z][A-Za-z]+/.test(text.replace(/^\W*\w+/, "")) ||
    /\b(?:card|stove|tent|jacket|boots?)\b/i.test(text);
  const renamed = introducesNames
    ? previous.replace(/(?<=\S\s+)\b[A-Z][A-Za-z-]+(?:\s+[A-Z][A-Za-z-]+)*/g, " ")
    : previous;
  // A follow-up that asks its own question ("does it cover normal wear?") keeps only the earlier topic.
  const carried = FOLLOW_UP_START.test(text) ? renamed : renamed.replace(QUESTION_FORM, "");
  const added = text.replace(/^(?:and\s+)?(?:what about|how about|also|plus|or)?\s*/i, "");
  return `${carried.replace(/\s+/g, " ").trim()} ${added}`;
}

/** What the brain treats as a help-centre question: the router's search_kb, or a how-it-works order question. */
function isKnowledgeQuestion(message: string, router: OfflineRouter): boolean {
  const routed = router.route(message).tool;
  if (routed === "search_kb") return true;
  return (
    (routed === "get_order" || routed === "create_ticket") && asksHowItWorks(message, matchOrder(message))
  );
}

function searchedQuery(scratch: ScratchItem[]): string | null {
  const call = scratch.find((s) => s.kind === "call" && s.name === "search_kb");
  if (call?.kind !== "call") return null;
  try {
    const args: unknown = JSON.parse(call.arguments);
    const query = typeof args === "object" && args !== null ? Reflect.get(args, "query") : null;
    return typeof query === "string" ? query : null;
  } catch {
    return null;
  }
}

/**
 * A question about how something works rather than a request about one order: "How long does shipping to the
 * UK take?", "How do I get an invoice?", "My payment failed, what should I do?", "Can I add an item to my
 * order?". The router's nearest examples often say get_order or create_ticket for these (they share "shipping",
 * "invoice", "order"), but without an order number the help centre answers them, and says what to send if a
 * person must act; so does "When is my card charged?". "Where is my order?", "When will my parcel arrive?",
 * "When do I get my poles?" and "Can you cancel my order?" stay requests.
 */
export function asksHowItWorks(message: string, orderNumber: string | null): boolean {
  if (orderNumber) return false;
  const m = message
    .trim()
    .toLowerCase()
    .replace(/^(?:hi|hello|hey)\b[\s,!.]*/, "");
  const aboutMine = /\bmy (?:order|parcel|package|delivery|refund|shipment|purchase|return)\b/.test(m);
  const statusQuestion = /^(?:where|when|has|have|did|is|was|what'?s the status|any update)\b/.test(m);
  if (aboutMine && statusQuestion) return false;
  // "When is my card charged?" asks how a process runs; "when do I get my poles?" is about one delivery.
  if (/^when (?:is|are|do|does)\b/.test(m) && !/^when (?:do|does) (?:i|we) (?:get|receive)\b/.test(m))
    return true;
  return (
    /^(?:how (?:do|does|can|long|much|many|often|soon)|what (?:does|is|are|do|happens|if|should|can)|which|why|can (?:i|we)|could i|do (?:you|i)|does|is there|are there|is it|should i|will i)\b/.test(
      m,
    ) || /\bwhat (?:should|do|can) i do\b|\bwhat does .+ mean\b/.test(m)
  );
}

function matchEmail(text: string): string | null {
  return text.match(EMAIL)?.[0] ?? null;
}

function findInHistory(history: HistoryItem[], find: (text: string) => string | null): string | null {
  for (const item of history.slice(-6).reverse()) {
    if (item.role !== "user") continue;
    const found = find(item.content);
    if (found) return found;
  }
  return null;
}

function lastAssistant(history: HistoryItem[]): HistoryItem | undefined {
  return history.findLast((h) => h.role === "assistant");
}

function lastUser(history: HistoryItem[]): string | undefined {
  return history.findLast((h) => h.role === "user")?.content;
}

function summarise(text: string): string {
  const firstLine = text.replace(/\s+/g, " ").trim();
  return firstLine.length <= 80 ? firstLine.padEnd(3, ".") : `${firstLine.slice(0, 77)}...`;
}

function smallTalk(message: string, shop: ShopProfile, say: Phrases): string {
  const m = message.toLowerCase();
  if (/\b(thank|thanks|thx|cheers)\b/.test(m)) return say.thanks;
  if (/\b(bye|goodbye|see you|adiós|tschüss|au revoir)\b/.test(m)) return say.bye;
  if (/\b(hi|hello|hey|good (morning|afternoon|evening))\b/.test(m)) return say.hello(shop.name);
  if (/\b(bot|robot|human|real person|ai)\b/.test(m)) return say.whoAmI(shop.name);
  return say.outOfScope(shop.name);
}
