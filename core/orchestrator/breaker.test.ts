import { describe, expect, it } from "vitest";
import {
  admit,
  type BreakerState,
  defaultBreakerConfig as cfg,
  closedBreaker,
  recordOutcome,
  viewBreaker,
} from "./breaker.ts";

function failTimes(times: number[], from: BreakerState = closedBreaker): BreakerState {
  return times.reduce((s, t) => recordOutcome(s, false, t, cfg), from);
}

describe("circuit breaker", () => {
  it("opens after 5 failures within 30 s, not when they are spread out", () => {
    expect(failTimes([0, 1, 2, 3]).status).toBe("closed");
    expect(failTimes([0, 1, 2, 3, 4])).toEqual({ status: "open", openedAt: 4 });
    expect(failTimes([0, 10_000, 20_000, 31_000, 41_000]).status).toBe("closed");
  });

  it("refuses calls for 60 s, then lets exactly one probe through", () => {
    const open = failTimes([0, 1, 2, 3, 4]);
    expect(admit(open, 59_000, cfg).allowed).toBe(false);
    const probe = admit(open, 60_004, cfg);
    expect(probe).toEqual({ allowed: true, state: { status: "half_open", probeStartedAt: 60_004 } });
    expect(admit(probe.state, 60_010, cfg).allowed).toBe(false);
  });

  it("closes on a successful probe and reopens on a failed one", () => {
    const halfOpen = admit(failTimes([0, 1, 2, 3, 4]), 60_004, cfg).state;
    expect(recordOutcome(halfOpen, true, 60_100, cfg)).toEqual(closedBreaker);
    expect(recordOutcome(halfOpen, false, 60_100, cfg)).toEqual({ status: "open", openedAt: 60_100 });
  });

  it("frees a probe slot that never reported back", () => {
    const halfOpen = admit(failTimes([0, 1, 2, 3, 4]), 60_004, cfg).state;
    expect(admit(halfOpen, 60_004 + cfg.probeTimeoutMs, cfg).allowed).toBe(true);
  });

  it("shows ops the state a call would meet now, and since when", () => {
    const closed = failTimes([1_000, 2_000]);
    expect(viewBreaker(closed, null, 10_000, cfg)).toEqual({
      status: "closed",
      since: null,
      probeAt: null,
      recentFailures: 2,
    });
    // Failures older than the window no longer count towards opening.
    expect(viewBreaker(closed, null, 31_500, cfg).recentFailures).toBe(1);
    const open = failTimes([0, 1, 2, 3, 4]);
    expect(viewBreaker(open, 4, 30_000, cfg)).toEqual({
      status: "open",
      since: 4,
      probeAt: 60_004,
      recentFailures: 0,
    });
    // Past its 60 s the next call is the probe, though nobody has called yet to move the stored state.
    expect(viewBreaker(open, 4, 70_000, cfg)).toMatchObject({ status: "half_open", since: 60_004 });
    const probing = admit(open, 60_004, cfg).state;
    expect(viewBreaker(probing, 60_004, 61_000, cfg)).toMatchObject({ status: "half_open", since: 60_004 });
  });
});
