/** How the console names the eval metrics and shows a score (fractions as percentages). */
import type { EvalMetric, Regression } from "../../evals/nightly.ts";

export const EVAL_METRIC_LABELS: Record<EvalMetric, string> = {
  routing_exact: "Routing, exact",
  routing_lenient: "Routing, lenient",
  retrieval_recall_at_1: "Retrieval recall@1",
  retrieval_recall_at_3: "Retrieval recall@3",
  retrieval_mrr: "Retrieval MRR",
};

export const scorePercent = (x: number | null | undefined) =>
  x === null || x === undefined ? "—" : `${(x * 100).toFixed(1)}%`;

/** "Routing, exact 93.3% → 86.7% (−6.6 points)" */
export function regressionText(r: Regression): string {
  return `${EVAL_METRIC_LABELS[r.metric]} ${scorePercent(r.before)} → ${scorePercent(r.after)} (−${r.dropPoints.toFixed(1)} points)`;
}
