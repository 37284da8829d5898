/**
 * Messages a person must take whatever else they ask, for the offline router (offline-router.ts): a product that
 * may be unsafe right now, and a payment that looks wrong (a double charge, a charge nobody made, a chargeback).
 * The help centre promises both ("When our team takes over automatically", talk-to-a-human.md) and the staff
 * escalation guide treats them as urgent, so they are classes decided by their wording, not by nearest examples:
 * "my stove is leaking gas" shares its words with stove questions the help centre answers, and "I was charged
 * twice" with payment problems a ticket handles. Pure.
 */
import { mentionsCatalogue, normalise } from "./offline-router-text.ts";

export type HandoffClass = "safety" | "payment_dispute";

// Gas and fire: dangerous with any piece of kit.
const FIRE =
  /\b(?:leak(?:s|ing|ed)? gas|gas (?:is )?(?:leak(?:s|ing)?|escap(?:es|ing))|smell(?:s|ing)?(?: of| like)? gas|(?:caught|catch(?:es|ing)?|on) fire|burst into flames?|flames? (?:shot|came) out|flared? ?up|explod(?:ed|es|ing)|carbon monoxide)\b/;
// Heat and smoke: dangerous from what holds fuel or a charge ("my feet swell in these boots" is a fit question).
const HEAT =
  /\b(?:overheat(?:s|ed|ing)?|swell(?:s|ed|ing)?|swollen|melt(?:s|ed|ing)?|smok(?:es|ed|ing)|sparks?)\b/;
const POWER =
  /\b(?:stove|cooker|burner|canister|cartridge|gas|fuel|battery|batteries|charger|headlamp|lantern|lamp|power bank)\b/;
// Someone hurt by the kit, or a fall when it gave way.
const INJURY =
  /\b(?:(?:got|get|am|was|been|were) (?:burn(?:ed|t)|scald(?:ed)?|injured|hurt)|burn(?:ed|t) (?:me|my|myself|him|her|us)|injur(?:ed|y|ies))\b|\b(?:i|he|she|we|they) fell\b.*\b(?:snapp|broke|gave way|fail|collaps)|\b(?:snapp|broke|gave way|fail|collaps)\w*\b.*\b(?:i|he|she|we|they) fell\b/;
const KIT =
  /\b(?:stove|cooker|burner|canister|gas|fuel|battery|headlamp|lantern|pole|buckle|strap|harness|product|item)\b/;
// "what should I do if my stove leaks gas?" asks how: the help centre's safety advice answers it.
const HYPOTHETICAL = /\b(?:if|in case|what happens when|how (?:do|can|should) i (?:stop|prevent|avoid))\b/;

// Money taken more than once, close together: "charged me twice", "the same payment three times".
const AGAIN = "(?: \\w+){0,4} (?:twice|two times|qnum times|three times|more than once|multiple times)\\b";
const TAKEN_AGAIN = new RegExp(
  `\\b(?:charg(?:e|ed|es|ing)|bill(?:ed)?|debit(?:ed)?|paid|took|taken|deducted|withdrawn|same (?:payment|transaction|amount))\\b${AGAIN}`,
);
const DISPUTED =
  /\b(?:double ?charg(?:e|ed|ing)|over ?charg(?:e|ed|ing)|charge ?back|fraud(?:ulent)?|unauthori[sz]ed|(?:do not|did not) (?:recogni[sz]e|authori[sz]e)|unrecogni[sz]ed|dispute)\b/;
const PAYMENT = /\b(?:charg\w*|payment|transaction|debit\w*|card|bank|money|paid|bill\w*)\b/;

/**
 * The handoff class of a message, or null for an ordinary one.
 *
 * @example
 * handoffClass("The canister on my stove is hissing and smells of gas"); // "safety"
 * handoffClass("You took the money twice for one order"); // "payment_dispute"
 * handoffClass("Is the stove safe to use in a tent?"); // null
 */
export function handoffClass(message: string): HandoffClass | null {
  const words = normalise(message);
  const text = words.join(" ");
  const kit = KIT.test(text) || mentionsCatalogue(words);
  const unsafe =
    (FIRE.test(text) && kit) || (HEAT.test(text) && POWER.test(text)) || (INJURY.test(text) && kit);
  if (unsafe && !HYPOTHETICAL.test(text)) return "safety";
  if ((TAKEN_AGAIN.test(text) || DISPUTED.test(text)) && PAYMENT.test(text)) return "payment_dispute";
  return null;
}
