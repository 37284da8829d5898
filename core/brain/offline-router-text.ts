// Text preparation for the offline router (core/brain/offline-router.ts): turns a visitor message into the words
// its features are built from. Kept apart so the normalisation rules can be read and tested on their own.
import { foldAccents } from "./fold-accents.ts";
import { foreignFillerWords } from "./languages.ts";

// Shorthand visitors type in chat; expanding it lets "ur" meet "your" in the examples.
const shorthand: Record<string, string> = {
  u: "you",
  ya: "you",
  ur: "your",
  pls: "please",
  plz: "please",
  thx: "thanks",
  ty: "thanks",
  wanna: "want to",
  gonna: "going to",
  cant: "can not",
  cannot: "can not",
  dont: "do not",
  didnt: "did not",
  doesnt: "does not",
  havent: "have not",
  hasnt: "has not",
  isnt: "is not",
  wont: "will not",
  im: "i am",
  ive: "i have",
  whats: "what is",
  wheres: "where is",
  hows: "how is",
  acct: "account",
  pw: "password",
  pwd: "password",
  addr: "address",
  info: "information",
  asap: "soon",
};

// Function words and the filler around a request ("i need help to", "can you tell me") say little about which route
// is wanted, yet they make up much of a short message; they keep a small weight instead of none, so "how do i" still
// separates a how-to question from a request when nothing else does.
const fillerWords = new Set([
  ...(
    "a an the and or but if so of to in on at for from by with about into as is are was were be been being am do does " +
    "did doing have has had having i me my mine myself we us our you your yours it its this that these those there " +
    "here what which who whom when where why how can could would should will shall may might must not no yes just " +
    "very too also some any all please need needs want wanted like help helping assistance assist know tell show " +
    "get got give let make trying try hey hi hello thanks thank ok okay really still now then than one through " +
    "over under between during without within across"
  ).split(" "),
  // A translated page's "der", "de la", "combien de temps" say as little ("Versand in die Schweiz").
  ...foreignFillerWords,
]);
export const fillerWeight = 0.3;

// Words shop visitors use interchangeably for the same thing; mapping them to one stem lets a handful of examples
// cover "bill", "invoice" and "receipt" alike. Only shop vocabulary belongs here: the router must still tell an
// order from an account, and a refund request from a refund policy, by the words around these.
const synonymGroups: readonly (readonly string[])[] = [
  ["order", "purchase", "purchases", "purchased", "purchasing"],
  ["item", "article", "product", "thing"],
  ["invoice", "bill", "receipt"],
  ["refund", "reimbursement", "reimburse", "rebate", "compensation", "restitution", "repayment"],
  ["complaint", "complain", "reclamation", "grievance"],
  ["package", "parcel", "shipment"],
  ["signup", "registration", "register", "enrol", "enroll"],
  ["password", "passcode", "passphrase", "pin"],
  ["change", "modify", "edit", "update", "alter", "amend"],
  ["email", "mail"],
  // The catalogue: a question about any piece of kit is a product question, whichever piece it names.
  // Words with everyday meanings outside the shop ("bottled water", "north pole") are left out on purpose.
  [
    "gear",
    "tent",
    "boot",
    "shoe",
    "trainer",
    "sandal",
    "jacket",
    "coat",
    "parka",
    "anorak",
    "fleece",
    "hoodie",
    "gilet",
    "shirt",
    "jeans",
    "trousers",
    "pants",
    "shorts",
    "leggings",
    "sock",
    "glove",
    "beanie",
    "backpack",
    "rucksack",
    "daypack",
    "stove",
    "lantern",
    "headlamp",
    "kayak",
    "canoe",
    "paddle",
    "helmet",
    "harness",
    "tarp",
    "hammock",
    "gaiter",
    "waterproofs",
    "compass",
    "cookware",
    "canister",
  ],
];

const placeholders = new Set(["qemail", "qorder", "qmoney", "qnum", "qplace"]);
const emailPattern = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/g;
// Order references: "#10443", "fh-20931", "order no 4471923" all carry at least four digits.
const orderPattern = /(?:#\s?|\b[a-z]{1,4}-)?\d[\d-]{3,}\d\b|#\s?\d{3,}/g;
const moneyPattern = /[$€£]\s?\d+(?:[.,]\d+)?|\b\d+(?:[.,]\d+)?\s?(?:dollars|euros|pounds|usd|eur|gbp)\b/g;
// Compounds typed with or without a space or hyphen, joined after typo repair so "mony back" becomes a refund too.
const compounds = new Map<string, string>([
  ["sign up", "signup"],
  ["log in", "login"],
  ["e mail", "email"],
  ["money back", "refund"],
]);

/**
 * Lowercases, replaces emails, order numbers, amounts and other digits by placeholder words, drops punctuation,
 * expands chat shorthand, passes every other word through repair (the router's typo fixer) and joins compounds.
 *
 * @example
 * normalise("Where's order #10443, u there?"); // ["where", "is", "order", "qorder", "you", "there"]
 */
export function normalise(text: string, repair: (word: string) => string = (word) => word): string[] {
  // Accents folded ("días" -> "dias"): a translated page's words stay whole words.
  const raw = foldAccents(text.toLowerCase())
    .replace(emailPattern, " qemail ")
    .replace(moneyPattern, " qmoney ")
    .replace(orderPattern, " qorder ")
    .replace(/\d+/g, " qnum ")
    .replace(/['’`]/g, "")
    .replace(/[^a-z]+/g, " ")
    .split(" ");
  const words: string[] = [];
  for (const token of raw) {
    if (token === "") continue;
    const expanded = shorthand[token];
    if (expanded !== undefined) words.push(...expanded.split(" "));
    else words.push(repair(token));
  }
  const joined: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const compound = compounds.get(`${words[i]} ${words[i + 1]}`);
    if (compound === undefined) joined.push(words[i] ?? "");
    else {
      joined.push(compound);
      i++;
    }
  }
  return joined;
}

/** A deliberately light suffix stripper: it only needs to make "shipping", "shipped" and "ships" meet. */
export function stem(word: string): string {
  if (word.length <= 3 || placeholders.has(word)) return word;
  let w = word;
  if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("ies") || w.endsWith("ied")) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("ations") || w.endsWith("ation")) w = w.slice(0, w.lastIndexOf("ation"));
  else if (w.endsWith("ments") || w.endsWith("ment")) w = w.slice(0, w.lastIndexOf("ment"));
  else if (w.endsWith("ing") && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith("ed") && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) w = w.slice(0, -1);
  // "shipp" -> "ship", "stopp" -> "stop"; doubled l and s are part of the word ("call", "address").
  if (w.length > 3 && w[w.length - 1] === w[w.length - 2] && !"lsaeiou".includes(w[w.length - 1] ?? "")) {
    w = w.slice(0, -1);
  }
  if (w.length > 4 && w.endsWith("e")) w = w.slice(0, -1);
  if (w.endsWith("ll") && w.length > 4) w = w.slice(0, -1);
  return w;
}

const canonicalStems = new Map<string, string>();
for (const [head, ...rest] of synonymGroups) {
  if (head === undefined) continue;
  for (const word of rest) canonicalStems.set(stem(word), stem(head));
}

/** The stem a word is indexed under: its own, or that of the first word of its synonym group. */
export function canonical(word: string): string {
  const stemmed = stem(word);
  return canonicalStems.get(stemmed) ?? stemmed;
}

const catalogueStem = stem("gear");

/** Words the text rules know on their own, so the speller never "repairs" them into an example's word. */
export const lexicon: readonly string[] = [
  ...fillerWords,
  ...synonymGroups.flat(),
  ...Object.values(shorthand),
];

export function isFiller(word: string): boolean {
  return fillerWords.has(word);
}

/** Whether the words name something Fernhill sells (see the catalogue synonym group). */
export function mentionsCatalogue(words: readonly string[]): boolean {
  return words.some((word) => canonical(word) === catalogueStem);
}
