/**
 * Scores ranked document lists for the retrieval eval: recall@1/3/8 and MRR, overall and per group, plus latency
 * percentiles. recall@k is the share of queries with at least one relevant document among the first k distinct
 * documents (the eval set grades a query with several listed documents as found when any of them is retrieved).
 * MRR uses the first relevant document within the first 8. Used by evals/retrieval.ts.
 */

export interface QueryOutcome {
  groups: Record<string, string>;
  relevant: readonly string[];
  ranked: readonly string[];
  ms: number;
}

export interface Scores {
  queries: number;
  "recall@1": number;
  "recall@3": number;
  "recall@8": number;
  mrr: number;
}

export interface ModeReport {
  overall: Scores;
  by: Record<string, Record<string, Scores>>;
  latency_ms: { p50: number; p95: number };
}

export function distinctInOrder(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

export function score(outcomes: readonly QueryOutcome[]): Scores {
  let r1 = 0;
  let r3 = 0;
  let r8 = 0;
  let rr = 0;
  for (const o of outcomes) {
    const ranked = distinctInOrder(o.ranked).slice(0, 8);
    const first = ranked.findIndex((id) => o.relevant.includes(id));
    if (first < 0) continue;
    if (first < 1) r1++;
    if (first < 3) r3++;
    r8++;
    rr += 1 / (first + 1);
  }
  const n = outcomes.length;
  const share = (x: number) => (n === 0 ? 0 : round(x / n));
  return { queries: n, "recall@1": share(r1), "recall@3": share(r3), "recall@8": share(r8), mrr: share(rr) };
}

export function report(outcomes: readonly QueryOutcome[]): ModeReport {
  const by: Record<string, Record<string, Scores>> = {};
  const keys = new Set(outcomes.flatMap((o) => Object.keys(o.groups)));
  for (const key of keys) {
    const values = [...new Set(outcomes.map((o) => o.groups[key] ?? ""))].sort();
    by[key] = Object.fromEntries(values.map((v) => [v, score(outcomes.filter((o) => o.groups[key] === v))]));
  }
  return { overall: score(outcomes), by, latency_ms: percentiles(outcomes.map((o) => o.ms)) };
}

export function percentiles(samples: readonly number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return { p50: round(at(0.5), 2), p95: round(at(0.95), 2) };
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
