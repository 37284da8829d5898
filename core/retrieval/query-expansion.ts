/**
 * Query expansion for lexical search with a small thesaurus of customer-support vocabulary: visitors say
 * "reimbursement", "get in touch" or "sign-up" where help pages say "refund", "contact" and "registration".
 * The expansion is a separate text that db/kb-search-sql.ts ranks at reduced weight, so a page that uses the
 * visitor's own words still wins. The groups are general shop-support vocabulary, not tied to one shop or one
 * data set; a deployment can pass its own. Pure; called by db/kb-search.ts before the query is sent.
 */

/** Each group lists words and phrases that mean the same thing in a support question. */
export type Thesaurus = readonly (readonly string[])[];

export const supportThesaurus: Thesaurus = [
  [
    "refund",
    "reimbursement",
    "reimburse",
    "rebate",
    "restitution",
    "compensation",
    "money back",
    "repayment",
  ],
  ["complaint", "complain", "claim", "reclamation", "grievance"],
  ["order", "purchase"],
  ["buy", "purchase", "order", "acquire"],
  ["cancel", "cancellation", "annul", "revoke", "call off"],
  ["delete", "remove", "close", "terminate", "termination", "deactivate"],
  ["change", "modify", "modification", "edit", "update", "alter", "amend", "correct"],
  ["switch", "swap", "exchange", "replace"],
  ["delivery", "deliver", "shipping", "ship", "shipment", "dispatch", "postage", "courier"],
  ["arrive", "arrival", "receive", "eta"],
  ["track", "tracking", "trace", "locate", "status"],
  ["invoice", "bill", "receipt"],
  ["payment", "pay", "paying", "paid", "charge", "charged"],
  ["fee", "charge", "penalty", "surcharge", "cost"],
  ["account", "profile"],
  ["password", "passcode", "pwd", "pin", "credentials", "access key"],
  ["registration", "register", "sign up", "signup", "sign-up", "enrol", "enroll"],
  ["login", "log in", "sign in", "signin"],
  ["newsletter", "subscription", "subscribe", "mailing list"],
  ["contact", "reach", "call", "phone", "get in touch", "speak", "talk"],
  ["agent", "human", "person", "representative", "operator", "staff"],
  ["customer service", "customer support", "customer care", "customer assistance", "help desk", "helpdesk"],
  ["hours", "opening hours", "what time", "schedule", "availability"],
  ["problem", "issue", "error", "trouble", "failure", "fault"],
  ["review", "feedback", "rating", "testimonial"],
  ["return", "send back"],
  ["warranty", "guarantee"],
  ["policy", "terms", "conditions"],
  ["discount", "coupon", "voucher", "promo code", "promotion"],
  ["damaged", "broken", "defective", "faulty"],
  ["size", "sizing", "fit"],
];

interface CompiledThesaurus {
  /** Stemmed single word -> indexes of the groups it belongs to. */
  words: Map<string, number[]>;
  /** Multi-word phrases, normalised, with their group. */
  phrases: { words: string[]; group: number }[];
  groups: readonly (readonly string[])[];
}

const compiled = new WeakMap<Thesaurus, CompiledThesaurus>();

function compile(thesaurus: Thesaurus): CompiledThesaurus {
  const cached = compiled.get(thesaurus);
  if (cached) return cached;
  const words = new Map<string, number[]>();
  const phrases: { words: string[]; group: number }[] = [];
  thesaurus.forEach((group, index) => {
    for (const entry of group) {
      const parts = normalisedWords(entry);
      if (parts.length === 1 && parts[0])
        words.set(lightStem(parts[0]), [...(words.get(lightStem(parts[0])) ?? []), index]);
      else if (parts.length > 1) phrases.push({ words: parts.map(lightStem), group: index });
    }
  });
  const result = { words, phrases, groups: thesaurus };
  compiled.set(thesaurus, result);
  return result;
}

/**
 * The words to add for a query: every other member of each group the query mentions, without the query's own
 * words. Empty when nothing matches.
 *
 * @example expandQuery("where is my reimbursement") // "refund rebate restitution compensation money back ..."
 */
export function expandQuery(query: string, thesaurus: Thesaurus = supportThesaurus): string {
  const { words, phrases, groups } = compile(thesaurus);
  const tokens = normalisedWords(query).map(lightStem);
  const matched = new Set<number>();
  for (const token of tokens) for (const group of words.get(token) ?? []) matched.add(group);
  for (const phrase of phrases) {
    for (let i = 0; i + phrase.words.length <= tokens.length; i++) {
      if (phrase.words.every((w, j) => tokens[i + j] === w)) matched.add(phrase.group);
    }
  }
  const own = new Set(tokens);
  const added = new Set<string>();
  for (const group of [...matched].sort((a, b) => a - b)) {
    for (const entry of groups[group] ?? []) {
      if (normalisedWords(entry).every((w) => own.has(lightStem(w)))) continue;
      added.add(entry);
    }
  }
  return [...added].join(" ");
}

function normalisedWords(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== "");
}

/**
 * Enough that "refunds", "refunded" and "refunding" find the "refund" group (both sides are cut the same way);
 * Postgres does the real stemming of whatever is sent.
 */
function lightStem(word: string): string {
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  return /^(.{3,}?)(?:ing|ed|es|e|s)$/.exec(word)?.[1] ?? word;
}
