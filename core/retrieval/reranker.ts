/**
 * The second stage of knowledge-base search: the fused top candidates (8 by default) are re-ordered and cut to
 * what the Hand asked for. The default is deterministic and cheap (no model, no network): it keeps the fused
 * order as its main signal and adds how much of the question the title, section path and passage cover. A model
 * or API reranker (a cross-encoder, a rerank endpoint) implements the same interface. Called by db/kb-search.ts.
 */

export interface RerankCandidate {
  id: string;
  title: string;
  section: string;
  body: string;
  /** Fused score from the first stage (db/kb-search-sql.ts); higher is better. */
  fused: number;
}

export interface Reranked {
  id: string;
  score: number;
}

export interface Reranker {
  readonly name: string;
  /** Returns at most topK candidates, best first. */
  rerank(
    query: string,
    candidates: RerankCandidate[],
    topK: number,
    signal?: AbortSignal,
  ): Promise<Reranked[]>;
}

/** Keeps the first-stage order: for measuring what a reranker adds. */
export const fusionOrderReranker: Reranker = {
  name: "fusion-order",
  async rerank(_query, candidates, topK) {
    return [...candidates]
      .sort((a, b) => b.fused - a.fused)
      .slice(0, topK)
      .map((c) => ({ id: c.id, score: c.fused }));
  },
};

export interface TermOverlapWeights {
  /** Weight of the fused rank: 1 for the first candidate, 1/2 for the second, and so on. */
  rank: number;
  title: number;
  section: number;
  body: number;
}

export const defaultTermOverlapWeights: TermOverlapWeights = { rank: 1, title: 0.3, section: 0.1, body: 0.2 };

/**
 * Deterministic default: score = rank·(1 / fused rank) + title·coverage(title) + section·coverage(section) +
 * body·coverage(passage), where coverage is the share of the question's content words (lightly stemmed) found
 * in that field. The fused order dominates; coverage can lift a lower candidate over its neighbours, mostly below
 * the top two. Measured on the retrieval eval, weighing the fused score itself instead of its rank let coverage
 * override the first stage too often and cost up to 9 points of recall@3, so the rank form stays. Ties keep the
 * fused order.
 */
export function termOverlapReranker(weights: TermOverlapWeights = defaultTermOverlapWeights): Reranker {
  return {
    name: "term-overlap",
    async rerank(query, candidates, topK) {
      const terms = new Set(contentWords(query));
      const ordered = [...candidates].sort((a, b) => b.fused - a.fused);
      const scored = ordered.map((c, index) => {
        const score =
          weights.rank / (index + 1) +
          weights.title * coverage(terms, c.title) +
          weights.section * coverage(terms, c.section) +
          weights.body * coverage(terms, c.body);
        return { id: c.id, score, index };
      });
      scored.sort((a, b) => b.score - a.score || a.index - b.index);
      return scored.slice(0, topK).map(({ id, score }) => ({ id, score }));
    },
  };
}

function coverage(terms: Set<string>, text: string): number {
  if (terms.size === 0 || !text) return 0;
  const words = wordsOf(text);
  let hits = 0;
  for (const term of terms) if (words.has(term)) hits++;
  return hits / terms.size;
}

/**
 * A passage's content words are the same on every search that brings it back, and splitting and stemming eight
 * whole chunks was most of the reranker's time (a CPU profile of offline search_kb turns in workerd): the word
 * sets of the last 256 texts are kept per isolate, most recently used last.
 */
const wordSets = new Map<string, Set<string>>();
function wordsOf(text: string): Set<string> {
  const hit = wordSets.get(text);
  if (hit) {
    wordSets.delete(text);
    wordSets.set(text, hit);
    return hit;
  }
  const words = new Set(contentWords(text));
  wordSets.set(text, words);
  if (wordSets.size > 256) wordSets.delete(wordSets.keys().next().value ?? "");
  return words;
}

// Function words carry no signal about which passage answers a question.
const STOPWORDS = new Set(
  (
    "a about an and any are as at be but by can could do does for from had has have how i if in into is it its " +
    "me my no not of on or our please so than that the their them then there these they this to was we were what " +
    "when where which who why will with would you your"
  ).split(" "),
);

export function contentWords(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w))
    .map(stem);
}

/** Just enough stemming that "returns", "returned" and "returning" meet. */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  for (const suffix of ["ing", "ed", "es", "s"]) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3 && !word.endsWith("ss")) {
      return word.slice(0, -suffix.length);
    }
  }
  return word;
}
