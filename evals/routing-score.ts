// Pure scorer for routing evals: turns (expected, acceptable, predicted) triples into exact and lenient accuracy,
// overall and per expected route, plus an expected x predicted confusion matrix. Called by evals/routing.ts and
// usable for any brain, so it knows nothing about how the predictions were made.
import { type RouteLabel, routeLabels } from "../core/brain/route-label.ts";

export type RoutingOutcome = {
  expected: RouteLabel;
  acceptable: readonly RouteLabel[];
  predicted: RouteLabel;
};

export type RoutingTally = { cases: number; exact: number; lenient: number };

export type RoutingScore = RoutingTally & {
  perTool: Record<RouteLabel, RoutingTally>;
  /** confusion[expected][predicted] = count */
  confusion: Record<RouteLabel, Record<RouteLabel, number>>;
};

function emptyRow<T>(make: () => T): Record<RouteLabel, T> {
  return { search_kb: make(), get_order: make(), create_ticket: make(), handoff_human: make(), none: make() };
}

/** Accuracies are fractions in [0, 1]; a set with no cases scores 0 rather than NaN so JSON output stays valid. */
export function scoreRouting(outcomes: readonly RoutingOutcome[]): RoutingScore {
  const hits = emptyRow(() => ({ cases: 0, exact: 0, lenient: 0 }));
  const confusion = emptyRow(() => emptyRow(() => 0));
  let exact = 0;
  let lenient = 0;
  for (const { expected, acceptable, predicted } of outcomes) {
    const isExact = predicted === expected;
    // The expected route always counts as acceptable, even when a row's acceptable list forgot it.
    const isLenient = isExact || acceptable.includes(predicted);
    const row = hits[expected];
    row.cases += 1;
    if (isExact) {
      row.exact += 1;
      exact += 1;
    }
    if (isLenient) {
      row.lenient += 1;
      lenient += 1;
    }
    confusion[expected][predicted] += 1;
  }
  const ratio = (n: number, d: number): number => (d === 0 ? 0 : n / d);
  const perTool = emptyRow(() => ({ cases: 0, exact: 0, lenient: 0 }));
  for (const label of routeLabels) {
    const row = hits[label];
    perTool[label] = {
      cases: row.cases,
      exact: ratio(row.exact, row.cases),
      lenient: ratio(row.lenient, row.cases),
    };
  }
  return {
    cases: outcomes.length,
    exact: ratio(exact, outcomes.length),
    lenient: ratio(lenient, outcomes.length),
    perTool,
    confusion,
  };
}
