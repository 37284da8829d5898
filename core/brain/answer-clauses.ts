/**
 * What a help-centre sentence asserts, apart from its conditions, for the extractive answerer
 * (extractive-answer.ts, answer-units.ts): whether it says no, whether its answer depends on a condition, and
 * whether it states what a yes/no question asks ("Can I change my address?" - "We can change the address as
 * long as ..."). A negation inside a condition ("If they don't, their delivery charge counts") is no "no". Pure.
 */
import { normalise, stem } from "./offline-router-text.ts";

const NEGATION =
  /\b(?:not|no|never|nothing|none|cannot|can't|don't|doesn't|won't|isn't|aren't|wasn't|haven't|hasn't|except|excluded)\b|n't\b/i;
// A clause that sets a condition or gives a reason: "if they don't ...", "as long as it hasn't been packed",
// "because the carrier doesn't ...". It runs to the next comma, semicolon, colon or the end of the sentence.
const SUBORDINATE =
  /\b(?:if|unless|as long as|provided(?: that)?|whether|when|whenever|once|in case|until|because)\b[^,;:.!?]*/gi;
const CONDITION = /\b(?:if|unless|as long as|provided)\b/i;
const CONDITION_CLAUSE = /\b(?:if|unless|as long as|provided(?: that)?|in case)\b[^,;:.!?]*/gi;

/**
 * What a sentence asserts: its words outside condition and reason clauses. "We can change the address as long as
 * the parcel hasn't been packed" asserts that we can; "If they don't, their delivery charge counts" that it counts.
 */
export function mainClause(text: string): string {
  return text.replace(SUBORDINATE, " ");
}

/** A sentence without its conditions ("if ...", "unless ...", "as long as ..."); times and reasons stay. */
export function withoutConditions(text: string): string {
  return text.replace(CONDITION_CLAUSE, " ");
}

/** Whether a text says no in what it asserts, not in a condition ("if you don't pay ..."). */
export function saysNo(text: string): boolean {
  return NEGATION.test(mainClause(text));
}

/** Whether a sentence's answer holds only under a condition: "If you return only some items, it isn't refunded." */
export function isConditional(text: string): boolean {
  return CONDITION.test(text);
}

// "Can I ...", "Do I have to ...", "Do you ...": the verb after the subject is what the question asks about.
// "How do I ...", "how to ...": the verb after them is the action a how-to asks the steps of.
const ASKED_VERB =
  /^(?:how\s+)?(?:do|does|can|could|may|will|would|should|must|am|is|are)\s+(?:i|we|you|they)\s+(?:(?:have|need|want|be able) to\s+|still\s+|also\s+)?([a-z]+)|^how to ([a-z]+)/;
// Words that state what is or isn't possible before the verb they govern: "you can exchange", "you don't need",
// "codes can't be combined"; and the words that may stand between them ("can no longer change", "can only be used").
const STATING = new Set("can do does must need needs will may we you they it".split(" "));
const BETWEEN = new Set("not no longer only also still always never be".split(" "));

/**
 * The stem of the verb a yes/no question or a how-to asks about ("Can I change my delivery address?" -> "chang",
 * "How do I exchange an item?" -> "exchang"), or null.
 * @param repaired the question's words, lowercased and typo-repaired (offline-router-text.ts normalise)
 */
export function askedPredicate(repaired: string): string | null {
  const match = ASKED_VERB.exec(repaired.replace(/^(?:hi|hello|hey)\s+/, ""));
  const verb = match?.[1] ?? match?.[2];
  return verb === undefined || verb === "be" || verb === "have" ? null : verbStem(verb);
}

// Shipping and delivery are one thing to a shopper (as in answer-units.ts keyStems).
const verbStem = (word: string) => (/^(?:ship|deliver)/.test(word) ? "deliver" : stem(word));

/**
 * Whether a sentence states the asked verb in what it asserts, as a modal or a subject governs it: "you can
 * exchange them for free", "we can no longer change the address", "you don't need an account". Not "To change an
 * address for future orders, go to ..." nor "Whether we can change your address depends on ...".
 */
export function statesPredicate(text: string, predicate: string): boolean {
  const words = normalise(mainClause(text));
  return words.some((w, i) => {
    if (verbStem(w) !== predicate) return false;
    let j = i - 1;
    while (j >= 0 && BETWEEN.has(words[j] ?? "")) j--;
    return j >= 0 && STATING.has(words[j] ?? "");
  });
}

const COUNT = /\b(?:one|two|three|four|five|single|several|multiple|\d+)\s+(?:[a-z-]+\s+)?[a-z]+/gi;

/**
 * Stems of the nouns a text counts: "two discount codes" -> discount, code; "One code per order" -> code. A
 * question that counts something ("Can I use two discount codes?") is answered by the unit that counts the
 * same thing ("One code per order."), not by one that shares its other words.
 */
export function countedStems(text: string): Set<string> {
  const out = new Set<string>();
  for (const [phrase] of text.matchAll(COUNT))
    for (const w of normalise(phrase).slice(1)) if (!/^q/.test(w)) out.add(stem(w));
  return out;
}
