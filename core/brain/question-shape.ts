/**
 * What kind of answer a shopper's question asks for, for the extractive answerer (extractive-answer.ts): a yes
 * or no, a list ("which payment methods ..."), steps ("how do I ...", "what should I do"), or a value of one
 * kind (a duration for "how long", a frequency for "how often", an amount for "how much"). Read from the
 * question's words after typo repair; English only (other languages are glossed before they reach here). Pure.
 */

export interface QuestionShape {
  yesNo: boolean;
  /** The noun a list question names ("methods"), when it is one. */
  listNoun: string | undefined;
  howTo: boolean;
  /** What a unit must contain to answer the question's value, or null when any sentence can. */
  answerType: RegExp | null;
}

const YES_NO_START =
  /^(?:do|does|did|can|could|is|are|was|were|will|would|may|might|should|shall|have|has|am)\b/i;
const LIST_QUESTION =
  /\b(?:which|what)\b.*\b(methods?|items?|options?|ways?|kinds?|types?|things?|countries)\b/i;
// The last branch is a glossed question: Spanish "¿Cómo restablezco ...?" reaches here as "how reset ...", with
// no "do I"; a "how" straight before a verb is a how-to, but not "how long", "how much" and their kin.
const HOW_TO =
  /\bhow (?:do|can|should) (?:i|we|you)\b|\bhow to\b|\bsteps?\b|\bwhat (?:should|do|can|must) i do\b|^how (?!(?:long|much|many|often|soon|far|old|big|late|early|is|are|was|were|does|did|do|can|could|should|will|would|may|might)\b)[a-z]+\b/i;

const DURATION =
  /\d+(?:\s*(?:-|to)\s*\d+)?(?:\s+|-)(?:business\s+|working\s+)?(?:days?|weeks?|hours?|minutes?|months?|years?)\b|\b(?:next|same) (?:business |working )?day\b|\bimmediately\b/i;
const PROCESS_TIME =
  /\d+(?:\s*(?:-|to)\s*\d+)?\s+(?:business\s+|working\s+)?(?:days?|weeks?|hours?|minutes?)\b|\b(?:next|same) (?:business |working )?day\b|\bimmediately\b/i;
const FREQUENCY =
  /\bevery\b|\bonce\b|\btwice\b|\bafter each\b|\b(?:daily|weekly|monthly|yearly)\b|\b(?:a|per|each) (?:day|week|month|year)\b/i;
const AMOUNT =
  /[€£$]\s?\d|\bCHF\b|\d\s?%|\bfree\b|\d+(?:[.,]\d+)?\s?(?:litres?|liters?|lumens|grams?|kg|g|cm|mm)\b/i;
const NUMBER = /\d/;

/** The question with any greeting in front of it dropped: "Hi, do you ..." is a yes/no question. */
function withoutGreeting(question: string): string {
  return question.replace(/^\W*(?:hi|hello|hey)\b\W*/i, "").trim();
}

/**
 * @param question as the visitor wrote it
 * @param repaired the question's words, lowercased and typo-repaired (offline-router-text.ts normalise)
 */
export function questionShape(question: string, repaired: string): QuestionShape {
  const listNoun = LIST_QUESTION.exec(repaired)?.[1];
  // A bare topic ("password reset") asks for the topic's steps or list, as "how do I" does.
  const howTo = HOW_TO.test(repaired) || (!/\?/.test(question) && repaired.split(" ").length <= 4);
  let answerType: RegExp | null = null;
  // "How long does a repair take?" asks how long something lasts to happen (weeks, days); "how long is the
  // warranty?" may be answered in years.
  if (/\bhow long\b.*\btakes?\b/.test(repaired)) answerType = PROCESS_TIME;
  else if (/\bhow (?:long|soon)\b|\bwhen will\b/.test(repaired)) answerType = DURATION;
  else if (/\bhow often\b/.test(repaired)) answerType = FREQUENCY;
  else if (/\bhow much\b|\bcosts?\b|\bprices?\b|\bfees?\b/.test(repaired)) answerType = AMOUNT;
  else if (/\bhow many\b|\bwhen\b|\bhours\b/.test(repaired)) answerType = NUMBER;
  return { yesNo: YES_NO_START.test(withoutGreeting(question)), listNoun, howTo, answerType };
}
