/**
 * Whether a message is outside what the shop can help with, for the offline router (offline-router.ts). A
 * similarity floor alone cannot separate "how do I get red wine out of a couch cushion" from "how do I wash my
 * down jacket": both are far from most examples. A logistic regression over a few signals of the router does
 * better: how close the nearest in-scope examples are, how close the "none" examples are, the margin between
 * them, and how many of the message's words no example uses. The coefficients were fitted and the threshold
 * chosen by 5-fold cross-validation on the development half of the routing set only (evals/calibrate-scope.ts
 * reproduces both); refit them when the routing examples change. Pure.
 */
import type { ScopeSignals } from "./offline-router.ts";

/** Intercept, bestInScope, inScope, none, inScope - none, unknown. */
const COEFFICIENTS = [1.636, -4.361, -4.419, 3.26, -7.679, 1.004];

/** Cross-validated on the development half: exact routing 0.905 with the old similarity floor, 0.920 here. */
export const OUT_OF_SCOPE_THRESHOLD = 0.45;

export function scopeFeatures(s: ScopeSignals): number[] {
  return [1, s.bestInScope, s.inScope, s.none, s.inScope - s.none, s.unknown];
}

/**
 * The probability that the message is out of scope, in [0, 1]. Naming a piece of the shop's kit keeps a message
 * in scope whatever the model says ("do the merino socks itch"): the development set, from other businesses,
 * cannot teach that, so it is a rule of the router, not a feature here.
 */
export function outOfScopeProbability(
  s: ScopeSignals,
  coefficients: readonly number[] = COEFFICIENTS,
): number {
  const z = scopeFeatures(s).reduce((sum, v, i) => sum + v * (coefficients[i] ?? 0), 0);
  return 1 / (1 + Math.exp(-z));
}
