/**
 * Fits the offline router's out-of-scope model (core/brain/offline-scope.ts): a logistic regression over the
 * router's scope signals, cross-validated on the cases given (the development half of the routing set; the
 * held-out half is never read). Prints the cross-validated accuracy of each threshold and the coefficients fitted
 * on all cases, which offline-scope.ts carries as constants. Run by hand when the routing examples change:
 *   npx node evals/calibrate-scope.ts --cases ../shared/data/routing_eval.dev.jsonl [--folds 5]
 */
import { parseArgs } from "node:util";
import { createOfflineRouter } from "../core/brain/offline-router.ts";
import { scopeFeatures } from "../core/brain/offline-scope.ts";
import type { RouteLabel } from "../core/brain/route-label.ts";
import { readInputFile } from "./input-file.ts";
import { parseRoutingCases } from "./routing.ts";

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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { cases: { type: "string" }, folds: { type: "string", default: "5" } },
  });
  if (!values.cases) {
    process.stderr.write("usage: calibrate-scope.ts --cases FILE [--folds N]\n");
    process.exit(2);
  }
  const { cases } = parseRoutingCases(await readInputFile(values.cases));
  const folds = Number(values.folds);
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
