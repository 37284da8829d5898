/**
 * Fits the offline router's out-of-scope model (core/brain/offline-scope.ts): a logistic regression over the
 * router's scope signals, cross-validated on the cases given (the development half of the routing set; the
 * held-out half is never read). Prints the cross-validated accuracy of each threshold and the coefficients fitted
 * on all cases, which offline-scope.ts carries as constants. Run by hand when the routing examples change:
 *   npx node evals/calibrate-scope.ts --cases ../shared/data/routing_eval.dev.jsonl [--folds 5]
 * With --kb PATH (a help centre: a Markdown folder or a JSONL corpus; repeat --kb for several, --kb-exclude
 * PREFIX,... drops documents by id) it cross-validates the shop index's strong-match bar instead
 * (core/brain/shop-index.ts, SHOP_MATCH): see calibrateShopBar. Several help centres keep the bar from fitting one:
 * the routing set's own corpus alone favours a low bar that lets small talk through on the demo shop's.
 *   npx node evals/calibrate-scope.ts --cases ../shared/data/routing_eval.dev.jsonl \
 *     --kb ../shared/data/kb_docs.jsonl --kb-exclude arduino- --kb demo/help-centre
 */
import { parseArgs } from "node:util";
import { createOfflineRouter } from "../core/brain/offline-router.ts";
import { scopeFeatures } from "../core/brain/offline-scope.ts";
import type { RouteLabel } from "../core/brain/route-label.ts";
import { createShopIndex, type SHOP_MATCH } from "../core/brain/shop-index.ts";
import { readInputFile } from "./input-file.ts";
import { parseRoutingCases, type RoutingCase } from "./routing.ts";
import { readShopPassages } from "./shop-passages.ts";

interface Row {
  id: string;
  expected: RouteLabel;
  inScopeTool: RouteLabel;
  catalogue: boolean;
  x: number[];
}

/** Batch gradient descent on the mean log loss with a small L2 penalty (not on the intercept). */
export function fitLogistic(rows: readonly Row[], l2 = 1e-3, iterations = 4000, rate = 2): number[] {
  const width = rows[0]?.x.length ?? 0;
  const w = new Array<number>(width).fill(0);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(width).fill(0);
    for (const r of rows) {
      const p = sigmoid(dot(w, r.x));
      const y = r.expected === "none" ? 1 : 0;
      for (let j = 0; j < width; j++) grad[j] = (grad[j] ?? 0) + (p - y) * (r.x[j] ?? 0);
    }
    for (let j = 0; j < width; j++) {
      const penalty = j === 0 ? 0 : l2 * (w[j] ?? 0);
      w[j] = (w[j] ?? 0) - rate * ((grad[j] ?? 0) / rows.length + penalty);
    }
  }
  return w;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * (b[i] ?? 0), 0);

function correct(rows: readonly Row[], w: number[], threshold: number): number {
  // As the router decides: naming the shop's kit keeps a message in scope.
  const route = (r: Row) => (sigmoid(dot(w, r.x)) > threshold && !r.catalogue ? "none" : r.inScopeTool);
  return rows.filter((r) => route(r) === r.expected).length;
}

/** A stable fold per case id (FNV-1a), so a rerun splits the same way. */
function fold(id: string, folds: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h % folds;
}

type Bar = typeof SHOP_MATCH;

/**
 * Cross-validates the shop index's bar. A bar may not cost any help centre an out-of-scope case the router gets
 * right without it (the "none" class must not drop); among the bars left, the one routing most cases right summed
 * over the help centres wins, the lowest coverage and word count among ties.
 */
async function calibrateShopBar(
  cases: readonly RoutingCase[],
  folds: number,
  kbs: string[],
  exclude: string[],
) {
  const shops = await Promise.all(
    kbs.map(async (kb) => createShopIndex(await readShopPassages(kb, exclude))),
  );
  const bars: Bar[] = [];
  for (const words of [2, 3]) for (let c = 50; c <= 100; c += 5) bars.push({ coverage: c / 100, words });
  bars.sort((a, b) => a.coverage - b.coverage || a.words - b.words);
  const baseline = createOfflineRouter();
  const baseRight = cases.map((c) => baseline.route(c.message).tool === c.expected_tool);
  // Per bar and case: how many help centres route it right, and how many lose a "none" the baseline had right.
  const runs = bars.map((shopBar) => {
    const routers = shops.map((shop) => createOfflineRouter(undefined, { shop, shopBar }));
    const tools = cases.map((c) => routers.map((r) => r.route(c.message).tool));
    return {
      right: cases.map((c, i) => (tools[i] ?? []).filter((t) => t === c.expected_tool).length),
      lostNone: cases.map((c, i) =>
        c.expected_tool === "none" && baseRight[i] ? (tools[i] ?? []).filter((t) => t !== "none").length : 0,
      ),
    };
  });
  const sum = (xs: number[], inFold: (i: number) => boolean) =>
    xs.reduce((total, x, i) => (inFold(i) ? total + x : total), 0);
  const pick = (inFold: (i: number) => boolean) => {
    let best = -1;
    runs.forEach((run, b) => {
      if (sum(run.lostNone, inFold) > 0) return;
      if (best < 0 || sum(run.right, inFold) > sum(runs[best]?.right ?? [], inFold)) best = b;
    });
    return best;
  };
  let hits = 0;
  for (let f = 0; f < folds; f++) {
    const chosen = pick((i) => fold(cases[i]?.id ?? "", folds) !== f);
    const inTest = (i: number) => fold(cases[i]?.id ?? "", folds) === f;
    hits +=
      chosen < 0 ? sum(baseRight.map(Number), inTest) * shops.length : sum(runs[chosen]?.right ?? [], inTest);
    console.log(`fold ${f}: bar ${chosen < 0 ? "none fits" : JSON.stringify(bars[chosen])}`);
  }
  const without = baseRight.filter(Boolean).length;
  const exact = hits / shops.length / cases.length;
  console.log(
    `cross-validated exact ${exact.toFixed(4)} (no shop index ${(without / cases.length).toFixed(4)})`,
  );
  const chosen = pick(() => true);
  console.log(
    `bar chosen on all ${cases.length} cases: ${chosen < 0 ? "none fits" : JSON.stringify(bars[chosen])}`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cases: { type: "string" },
      folds: { type: "string", default: "5" },
      kb: { type: "string", multiple: true },
      "kb-exclude": { type: "string", default: "" },
    },
  });
  if (!values.cases) {
    process.stderr.write(
      "usage: calibrate-scope.ts --cases FILE [--folds N] [--kb PATH [--kb-exclude P,...]]\n",
    );
    process.exit(2);
  }
  const { cases } = parseRoutingCases(await readInputFile(values.cases));
  const folds = Number(values.folds);
  if (values.kb) {
    await calibrateShopBar(cases, folds, values.kb, values["kb-exclude"].split(",").filter(Boolean));
    return;
  }
  const router = createOfflineRouter();
  const rows: Row[] = cases.map((c) => {
    const { signals } = router.route(c.message);
    return {
      id: c.id,
      expected: c.expected_tool,
      inScopeTool: signals.inScopeTool,
      catalogue: signals.catalogue,
      x: scopeFeatures(signals),
    };
  });
  const thresholds = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6];
  const hits = new Map(thresholds.map((t) => [t, 0]));
  for (let f = 0; f < folds; f++) {
    const train = rows.filter((r) => fold(r.id, folds) !== f);
    const test = rows.filter((r) => fold(r.id, folds) === f);
    const w = fitLogistic(train);
    for (const t of thresholds) hits.set(t, (hits.get(t) ?? 0) + correct(test, w, t));
  }
  for (const t of thresholds) {
    console.log(`threshold ${t}: cross-validated exact ${((hits.get(t) ?? 0) / rows.length).toFixed(4)}`);
  }
  const w = fitLogistic(rows);
  console.log(
    `coefficients (fitted on all ${rows.length} cases): ${JSON.stringify(w.map((v) => Number(v.toFixed(3))))}`,
  );
}

if (import.meta.main) await main();
