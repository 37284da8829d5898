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

/** A breaker as ops see it: the state a call made now would meet, since when, and when an open one probes. */
export interface BreakerView {
  status: BreakerState["status"];
  /** When it entered this status (ms since epoch); null for a breaker that has never tripped. */
  since: number | null;
  /** Open: when the next call is let through as a probe. */
  probeAt: number | null;
  /** Closed: failures counted inside the window (it opens at `failureThreshold`). */
  recentFailures: number;
}

/**
 * What `admit` would decide now, without moving the state: an open breaker past `openMs` already counts as
 * half-open (its next call is the probe), from the moment it became due. `changedAt` is when the stored state
 * was last written (null: never).
 */
export function viewBreaker(
  state: BreakerState,
  changedAt: number | null,
  now: number,
  config: BreakerConfig,
): BreakerView {
  switch (state.status) {
    case "closed":
      return {
        status: "closed",
        since: changedAt,
        probeAt: null,
        recentFailures: state.failures.filter((t) => now - t < config.windowMs).length,
      };
    case "open": {
      const due = state.openedAt + config.openMs;
      return now < due
        ? { status: "open", since: state.openedAt, probeAt: due, recentFailures: 0 }
        : { status: "half_open", since: due, probeAt: null, recentFailures: 0 };
    }
    case "half_open":
      return { status: "half_open", since: changedAt, probeAt: null, recentFailures: 0 };
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}
