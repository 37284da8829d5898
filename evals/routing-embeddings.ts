/**
 * Does the local sentence model (scripts/local-embeddings.ts) improve the offline router? Embeds every case
 * message and every labelled example of core/brain/routing-examples.ts, then scores, with k-fold
 * cross-validation over the cases (the fallback's threshold is chosen on the other folds, scored on the held-out
 * one):
 *   router               the offline router as it is (what `eval:routing` measures)
 *   examples by meaning  each route's mean cosine similarity of its 3 nearest examples; the best route wins
 *   router + fallback    the router, except that below a confidence threshold the route by meaning decides
 *   router + dev kNN     the same fallback, with the nearest messages of the training folds as the examples
 * and prints exact and lenient per variant with the embedding time per message. A measurement only: nothing
 * here is used by the Worker.
 *   node evals/routing-embeddings.ts --cases ../shared/data/routing_eval.dev.jsonl [--folds 5] [--json]
 */
import "../scripts/launcher.ts";
import { parseArgs } from "node:util";
import { createOfflineRouter } from "../core/brain/offline-router.ts";
import type { RouteLabel } from "../core/brain/route-label.ts";
import { routingExamples } from "../core/brain/routing-examples.ts";
import { embedLocally } from "../scripts/local-embeddings.ts";
import { readInputFile } from "./input-file.ts";
import { parseRoutingCases, type RoutingCase } from "./routing-eval.ts";

const K = 3;
const THRESHOLDS = Array.from({ length: 21 }, (_, i) => i * 0.05);

const { values } = parseArgs({
  options: {
    cases: { type: "string" },
    folds: { type: "string", default: "5" },
    json: { type: "boolean", default: false },
  },
});
if (!values.cases) {
  process.stderr.write("usage: node evals/routing-embeddings.ts --cases FILE.jsonl [--folds 5] [--json]\n");
  process.exit(2);
}
const { cases } = parseRoutingCases(await readInputFile(values.cases));
const folds = Number(values.folds);

const unit = (v: number[]) => {
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
};
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);

const t0 = performance.now();
const caseVectors = (await embedLocally(cases.map((c) => c.message))).map(unit);
const embedMsPerMessage = (performance.now() - t0) / cases.length;
const exampleVectors = (await embedLocally(routingExamples.map((e) => e.text))).map(unit);

/** The route whose K nearest labelled vectors are most similar on average. */
function byMeaning(vector: number[], labelled: { vector: number[]; tool: RouteLabel }[]): RouteLabel {
  const perRoute = new Map<RouteLabel, number[]>();
  for (const l of labelled) {
    const list = perRoute.get(l.tool) ?? [];
    list.push(dot(vector, l.vector));
    perRoute.set(l.tool, list);
  }
  let best: RouteLabel = "none";
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const [tool, scores] of perRoute) {
    const top = scores.sort((a, b) => b - a).slice(0, K);
    const score = top.reduce((s, x) => s + x, 0) / top.length;
    if (score > bestScore) [best, bestScore] = [tool, score];
  }
  return best;
}

/** byMeaning with the other cases of `pool` as the labelled examples (the case itself left out). */
function byMeaningAmong(i: number, pool: number[]): RouteLabel {
  const v = caseVectors[i] ?? [];
  const perRoute = new Map<RouteLabel, number[]>();
  for (const j of pool) {
    if (j === i) continue;
    const tool = cases[j]?.expected_tool ?? "none";
    const top = perRoute.get(tool) ?? [];
    const s = dot(v, caseVectors[j] ?? []);
    // Keep the K best only.
    if (top.length < K) top.push(s);
    else {
      const min = Math.min(...top);
      if (s > min) top[top.indexOf(min)] = s;
    }
    perRoute.set(tool, top);
  }
  let best: RouteLabel = "none";
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const [tool, top] of perRoute) {
    const score = top.reduce((a, x) => a + x, 0) / top.length;
    if (score > bestScore) [best, bestScore] = [tool, score];
  }
  return best;
}

const router = createOfflineRouter();
const routed = cases.map((c) => router.route(c.message));
const examples = routingExamples.map((e, i) => ({ tool: e.tool, vector: exampleVectors[i] ?? [] }));
const meaning = caseVectors.map((v) => byMeaning(v, examples));

const fold = (i: number) => i % folds;
const exact = (c: RoutingCase, p: RouteLabel) => (c.expected_tool === p ? 1 : 0);
const lenient = (c: RoutingCase, p: RouteLabel) => (c.acceptable_tools.includes(p) ? 1 : 0);

/** Scores predictions over the case indices given. */
function score(indices: number[], predict: (i: number) => RouteLabel) {
  let e = 0;
  let l = 0;
  for (const i of indices) {
    const c = cases[i];
    if (!c) continue;
    e += exact(c, predict(i));
    l += lenient(c, predict(i));
  }
  return { exact: e / indices.length, lenient: l / indices.length };
}

/** Cross-validated: for each held-out fold, the threshold that scores best on the others. */
function crossValidated(uncached: (i: number, train: number[]) => RouteLabel) {
  let e = 0;
  let l = 0;
  const chosen: number[] = [];
  for (let f = 0; f < folds; f++) {
    const test = cases.map((_, i) => i).filter((i) => fold(i) === f);
    const train = cases.map((_, i) => i).filter((i) => fold(i) !== f);
    // The fallback of a case depends only on the fold: computed once per case, not per threshold.
    const memo = new Map<number, RouteLabel>();
    const fallback = (i: number, pool: number[]) => {
      const hit = memo.get(i) ?? uncached(i, pool);
      memo.set(i, hit);
      return hit;
    };
    const predictWith = (t: number, pool: number[]) => (i: number) =>
      (routed[i]?.confidence ?? 0) < t ? fallback(i, pool) : (routed[i]?.tool ?? "none");
    // Tuned on the training folds only (their own fallback pool excludes the case scored).
    let bestT = 0;
    let bestExact = -1;
    for (const t of THRESHOLDS) {
      const s = score(train, predictWith(t, train)).exact;
      if (s > bestExact) [bestT, bestExact] = [t, s];
    }
    chosen.push(bestT);
    const s = score(test, predictWith(bestT, train));
    e += s.exact * test.length;
    l += s.lenient * test.length;
  }
  return { exact: e / cases.length, lenient: l / cases.length, thresholds: chosen };
}

const all = cases.map((_, i) => i);
const report = {
  cases: cases.length,
  folds,
  embedding_ms_per_message: Math.round(embedMsPerMessage * 10) / 10,
  router: score(all, (i) => routed[i]?.tool ?? "none"),
  examples_by_meaning: score(all, (i) => meaning[i] ?? "none"),
  router_with_fallback: crossValidated((i) => meaning[i] ?? "none"),
  router_with_dev_knn: crossValidated((i, pool) => byMeaningAmong(i, pool)),
};
if (values.json) console.log(JSON.stringify(report, null, 2));
else {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  console.log(
    `${report.cases} cases, ${folds}-fold; local model ${report.embedding_ms_per_message} ms a message (batches of 32)`,
  );
  for (const [name, s] of Object.entries(report).filter(([, v]) => typeof v === "object")) {
    const r = s as { exact: number; lenient: number; thresholds?: number[] };
    console.log(
      `  ${name.padEnd(22)} exact ${pct(r.exact)}  lenient ${pct(r.lenient)}${r.thresholds ? `  thresholds ${r.thresholds.join(", ")}` : ""}`,
    );
  }
}
