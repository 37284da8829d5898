/**
 * The retrieval eval's baseline: plain Okapi BM25 (k1 = 1.2, b = 0.75) over whole documents (title + text),
 * with lower-cased alphanumeric tokens and nothing else: no stemming, no stop words, no fields. It answers "what
 * would a textbook keyword search do on the same documents?", so the product's ranking has something to beat.
 * Used only by evals/retrieval.ts.
 */

export interface Bm25Doc {
  id: string;
  text: string;
}

export interface Bm25Index {
  search(query: string, limit: number): { id: string; score: number }[];
}

export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t !== "");
}

export function buildBm25(docs: readonly Bm25Doc[], k1 = 1.2, b = 0.75): Bm25Index {
  const postings = new Map<string, { doc: number; tf: number }[]>();
  const lengths: number[] = [];
  docs.forEach((doc, index) => {
    const counts = new Map<string, number>();
    const tokens = tokenize(doc.text);
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    lengths.push(tokens.length);
    for (const [term, tf] of counts) {
      const list = postings.get(term) ?? [];
      list.push({ doc: index, tf });
      postings.set(term, list);
    }
  });
  const n = docs.length;
  const avgdl = lengths.reduce((a, b) => a + b, 0) / Math.max(1, n);

  return {
    search(query, limit) {
      const scores = new Map<number, number>();
      for (const term of new Set(tokenize(query))) {
        const list = postings.get(term);
        if (!list) continue;
        const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
        for (const { doc, tf } of list) {
          const norm = tf + k1 * (1 - b + (b * (lengths[doc] ?? 0)) / avgdl);
          scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (k1 + 1)) / norm);
        }
      }
      return [...scores]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, limit)
        .map(([doc, score]) => ({ id: docs[doc]?.id ?? "", score }));
    },
  };
}
