/**
 * A circuit breaker for one tool, as a pure function of its state and what happened. The Breaker Durable
 * Object holds one of these per tool, so every isolate and request shares it. Closed: calls flow and
 * failures within a window are counted. Open: calls are refused for `openMs`. Half-open: one probe call is let
 * through; its success closes the breaker, its failure opens it again.
 */
export interface BreakerConfig {
  failureThreshold: number;
  windowMs: number;
  openMs: number;
  /** A probe that never reports back frees the half-open slot after this long. */
  probeTimeoutMs: number;
}

export const defaultBreakerConfig: BreakerConfig = {
  failureThreshold: 5,
  windowMs: 30_000,
  openMs: 60_000,
  probeTimeoutMs: 10_000,
};

export type BreakerState =
  | { status: "closed"; failures: number[] }
  | { status: "open"; openedAt: number }
  | { status: "half_open"; probeStartedAt: number | null };

export const closedBreaker: BreakerState = { status: "closed", failures: [] };

/** Whether a call may go ahead now, and the state after letting it (a half-open breaker admits one probe). */
export function admit(
  state: BreakerState,
  now: number,
  config: BreakerConfig,
): { allowed: boolean; state: BreakerState } {
  switch (state.status) {
    case "closed":
      return { allowed: true, state };
    case "open":
      if (now - state.openedAt < config.openMs) return { allowed: false, state };
      return { allowed: true, state: { status: "half_open", probeStartedAt: now } };
    case "half_open":
      if (state.probeStartedAt !== null && now - state.probeStartedAt < config.probeTimeoutMs) {
        return { allowed: false, state };
      }
      return { allowed: true, state: { status: "half_open", probeStartedAt: now } };
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}

export function recordOutcome(
  state: BreakerState,
  ok: boolean,
  now: number,
  config: BreakerConfig,
): BreakerState {
  if (state.status === "half_open") {
    return ok ? closedBreaker : { status: "open", openedAt: now };
  }
  if (state.status === "open") return state;
  if (ok) return state;
  const failures = [...state.failures.filter((t) => now - t < config.windowMs), now];
  return failures.length >= config.failureThreshold
    ? { status: "open", openedAt: now }
    : { status: "closed", failures };
}
