/**
 * What kind of answer a shopper's question asks for, for the extractive answerer (extractive-answer.ts): a yes
 * or no, a list ("which payment methods ..."), steps ("how do I ...", "what should I do"), or a value of one
 * kind (a duration for "how long", a frequency for "how often", an amount for "how much"). Read from the
 * question as asked, by the forms of its language (question-forms.ts): an English question after typo repair, a
 * Spanish, German or French one in the visitor's own words, not its gloss. The value a unit must contain is
 * recognised in any of the four languages, since a translated article or the English original may answer. Pure.
 */
import type { Language } from "../contracts/language.ts";
import { foldAccents } from "./fold-accents.ts";
import { normalise } from "./offline-router-text.ts";
import { questionForms } from "./question-forms.ts";

export interface QuestionShape {
  yesNo: boolean;
  /** The noun a list question names ("methods"), when it is one. */
  listNoun: string | undefined;
  howTo: boolean;
  /** What a unit must contain to answer the question's value, or null when any sentence can. */
  answerType: RegExp | null;
}

// Units of time as the help centre's four languages write them after a number ("3 business days", "3 días
// hábiles", "3 Werktagen", "3 jours ouvrés"); the short spans alone answer a process question.
const SHORT_SPANS =
  "days?|weeks?|hours?|minutes?|d[ií]as?|semanas?|horas?|minutos?|(?:werk)?tag(?:e|en)?|wochen?|stunden?|minuten?|jours?|semaines?|heures?";
const LONG_SPANS =
  "months?|years?|mes(?:es)?|a[ñn]os?|monat(?:e|en)?|jahr(?:e|en)?|mois|ans|ann[ée]es?|t[äa]gig\\p{L}*|j[äa]hrig\\p{L}*";
const RANGE = "\\d+(?:\\s*(?:-|–|to|a|à|bis|y|et)\\s*\\d+)?";
// "next business day", "el siguiente día hábil", "nächster Werktag", "le jour ouvré suivant", "immediately".
const SOON =
  "\\b(?:next|same) (?:business |working )?day\\b|\\bimmediately\\b|(?:siguiente|mismo) d[ií]a|inmediata|al instante|n[äa]chsten? werktag|selben tag|\\bsofort\\b|jour (?:ouvr[ée] )?(?:suivant|m[êe]me)|imm[ée]diatement|instantan[ée]ment";
const span = (joint: string, units: string) =>
  new RegExp(`${RANGE}${joint}(?:business\\s+|working\\s+)?(?:${units})(?!\\p{L})|${SOON}`, "iu");

const DURATION = span("(?:\\s+|-)", `${SHORT_SPANS}|${LONG_SPANS}`);
// A process takes "3-5 days", not a "30-day" (or "30-tägige") window: a hyphenated span names a period.
const PROCESS_TIME = span("\\s+", SHORT_SPANS);
// "cada", "jeden", "chaque" and "tous les" mean "every" only before a span: "cada artículo" is each item.
const FREQUENCY =
  /\bevery\b|\bonce\b|\btwice\b|\bafter each\b|\b(?:daily|weekly|monthly|yearly)\b|\b(?:a|per|each) (?:day|week|month|year)\b|\bcada (?:d[ií]a|semana|mes|año|\d)|\b(?:una|dos) veces\b|\bal (?:d[ií]a|mes|año)\b|\bpor semana\b|(?<!\p{L})(?:jede[nrsm]? (?:tag|woche|monat|jahr)|einmal|zweimal|t[äa]glich|w[öo]chentlich|monatlich|j[äa]hrlich)(?!\p{L})|\bpro (?:tag|woche|monat|jahr)\b|\bchaque (?:jour|semaine|mois|ann)|\btou(?:s|tes) les (?:jours|semaines|mois|ans|\d)|\b(?:une|deux) fois\b|\bpar (?:jour|semaine|mois|an)\b/iu;
// Amounts: a currency before or after the number ("€4.95", "4,95 €", "CHF 14.95", "14,95 CHF"), a share, a
// measure, or a word for free.
const AMOUNT =
  /[€£$]\s?\d|\d\s?(?:€|£|\$)|\bCHF\b|\d\s?%|\bfree\b|\bgratis\b|\bgratuit(?:[oae]s?|s|ement)?\b|\bkostenlos\b|\boffert[e]?s?\b|\d+(?:[.,]\d+)?\s?(?:litres?|liters?|lumens|grams?|kg|g|cm|mm)\b/iu;
const NUMBER = /\d/;

/** A question as the visitor wrote it, in the language it was written in. */
export interface AskedQuestion {
  text: string;
  lang: Language;
}

/**
 * @param question as the visitor asked it, in their language
 * @param repair the typo fixer for an English question's words (offline-router-spelling.ts); the others are read
 *   as written
 * @example
 * questionShape("¿Cuánto tardan los reembolsos?", "es").answerType?.test("en 3 días hábiles"); // true
 */
export function questionShape(
  question: string,
  lang: Language = "en",
  repair?: (word: string) => string,
): QuestionShape {
  const forms = questionForms[lang];
  // Spanish opens a question with "¿": what is said before it ("Tengo un pedido, ¿cuándo llega?") is not asked.
  const asked = question.slice(question.lastIndexOf("¿") + 1);
  const words = lang === "en" ? normalise(asked, repair).join(" ") : folded(asked);
  const opening = (lang === "en" ? asked : words).trim().replace(forms.greeting, "");
  const listNoun = forms.list.exec(words)?.[1];
  // A bare topic ("password reset") asks for the topic's steps or list, as "how do I" does.
  const howTo = forms.howTo.test(words) || (!/\?/.test(asked) && words.split(" ").length <= 4);
  let answerType: RegExp | null = null;
  // "How long does a repair take?" asks how long something lasts to happen (weeks, days); "how long is the
  // warranty?" may be answered in years.
  if (forms.processTime.test(words)) answerType = PROCESS_TIME;
  else if (forms.duration.test(words)) answerType = DURATION;
  else if (forms.frequency.test(words)) answerType = FREQUENCY;
  else if (forms.amount.test(words)) answerType = AMOUNT;
  else if (forms.count.test(words)) answerType = NUMBER;
  return { yesNo: forms.yesNo.test(opening), listNoun, howTo, answerType };
}

/** Lowercase, accents folded as the router folds them ("Größe" -> "grosse"), apostrophes and hyphens kept. */
function folded(text: string): string {
  return foldAccents(text.toLowerCase())
    .replace(/[’`]/g, "'")
    .replace(/[^\p{L}\d'?\s-]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}
