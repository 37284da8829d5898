/**
 * The shop's own vocabulary, from its help centre, for the offline router's scope decision (offline-router.ts).
 * The routing examples are written for any shop, so a question in words only this shop uses ("Can I tumble dry
 * merino?", "How much is the Switchback?") looks out of scope to them. Before the router refuses a message it
 * asks this index for the help-centre section that holds most of the message's words, weighted by how rare each
 * word is among the sections, and which of those words are the shop's terms: words of its titles and headings,
 * and the names it writes in bold or with a capital inside a sentence (products, statuses). Built once per isolate
 * from the indexed passages (db/kb-passages.ts) or, for evals, from document files. Pure.
 */
import { isFiller, normalise, stem } from "./offline-router-text.ts";
import { placeWords } from "./places.ts";

/** A passage of the help centre as indexed: Markdown body, its "## " headings inline. */
export type ShopPassage = { title: string; text: string };

export type ShopMatch = {
  /** Share of the message's word weight found in its best section, in [0, 1]. */
  coverage: number;
  /** The message's stems (offline-router-text.ts) that section holds. */
  matched: string[];
  /** Those of them that are shop terms. */
  terms: string[];
};

export type ShopIndex = { match(message: string): ShopMatch };

/**
 * The strong-match bar: a section holding at least this share of the message's word weight and at least this many
 * of its words. Chosen by evals/calibrate-scope.ts --kb (5-fold cross-validation on the development half of the
 * routing set, with two help centres: the set's own corpus and the demo shop's) as the best bar that costs
 * neither any out-of-scope case; 4 of the 5 folds chose it. Routing exact 0.9223 -> 0.9227 cross-validated.
 */
export const SHOP_MATCH = { coverage: 0.7, words: 3 };

const PLACEHOLDER = /^q(?:email|order|money|num|place)$/;
// A section that states a price answers "how much does it cost", whichever words it states the price in.
const PRICE_WORDS = ["cost", "price", "much", "expensive", "cheap"].map(stem);
const NO_MATCH: ShopMatch = { coverage: 0, matched: [], terms: [] };

/**
 * The stems a text is matched by: no filler, placeholders or place names (a country says nothing of scope). A
 * passage's prices count as the words that ask for one.
 */
function contentStems(text: string, passage = false): Set<string> {
  const stems = new Set<string>();
  for (const word of normalise(text)) {
    if (passage && word === "qmoney") for (const price of PRICE_WORDS) stems.add(price);
    if (word.length < 3 || isFiller(word) || placeWords.has(word) || PLACEHOLDER.test(word)) continue;
    stems.add(stem(word));
  }
  return stems;
}

/** Where a help centre names things: headings, bold, and capitals that do not start a sentence. */
function namedText(passage: ShopPassage): string {
  const headings = passage.text.split("\n").filter((line) => /^#{1,6}\s/.test(line));
  const bold = [...passage.text.matchAll(/\*\*([^*\n]+)\*\*/g)].map((m) => m[1] ?? "");
  const names = [...passage.text.matchAll(/(?<=[a-z0-9,;:)] )[A-Z][A-Za-z-]+/g)].map((m) => m[0]);
  return [passage.title, ...headings, ...bold, ...names].join(" \n ");
}

/** Sections as a help centre cuts them: at its headings, each keeping the article's title. */
function sections(passage: ShopPassage): string[] {
  return passage.text.split(/\n(?=#{1,6}\s)/).map((section) => `${passage.title}\n${section}`);
}

/**
 * @example
 * const shop = createShopIndex([{ title: "Caring for merino", text: "Don't tumble dry: it shrinks merino." }]);
 * shop.match("can i tumble dry merino?"); // { coverage: 1, matched: ["tumbl", "dry", "merino"], terms: ["merino"] }
 */
export function createShopIndex(passages: readonly ShopPassage[]): ShopIndex {
  const stemsOf = passages.flatMap(sections).map((section) => contentStems(section, true));
  const terms = new Set(passages.flatMap((p) => [...contentStems(namedText(p))]));
  const df = new Map<string, number>();
  for (const stems of stemsOf) for (const s of stems) df.set(s, (df.get(s) ?? 0) + 1);
  const n = stemsOf.length;
  // A word no section uses weighs like the rarest ones: the help centre knows nothing about it.
  const idf = (s: string) => Math.log((n + 1) / ((df.get(s) ?? 0) + 1)) + 1;
  return {
    match(message) {
      const stems = [...contentStems(message)];
      const weights = stems.map(idf);
      const total = weights.reduce((sum, w) => sum + w, 0);
      if (total === 0) return NO_MATCH;
      let best = NO_MATCH;
      for (const section of stemsOf) {
        let weight = 0;
        const matched = stems.filter((s, i) => {
          if (!section.has(s)) return false;
          weight += weights[i] ?? 0;
          return true;
        });
        const coverage = weight / total;
        if (coverage > best.coverage || (coverage === best.coverage && matched.length > best.matched.length))
          best = { coverage, matched, terms: matched.filter((s) => terms.has(s)) };
      }
      return best;
    },
  };
}

/**
 * Whether the help centre holds the message strongly enough to answer it: a strong match that names at least one
 * shop term the routing examples never use (known), so "what time is it" is not kept by a section about dispatch
 * times, while "can I tumble dry merino" is kept by the care article.
 */
export function isShopQuestion(match: ShopMatch, known: ReadonlySet<string>, bar = SHOP_MATCH): boolean {
  return (
    match.coverage >= bar.coverage &&
    match.matched.length >= bar.words &&
    match.terms.some((term) => !known.has(term))
  );
}
