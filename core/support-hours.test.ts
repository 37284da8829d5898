import { describe, expect, it } from "vitest";
import {
  DEFAULT_SCHEDULE,
  describeReturn,
  describeSchedule,
  isOpen,
  nextOpening,
  parseSchedule,
} from "./support-hours.ts";

const berlin = parseSchedule(
  JSON.stringify({
    timeZone: "Europe/Berlin",
    weekly: { mon: ["08:00-12:00", "13:00-18:00"], tue: ["08:00-18:00"], fri: ["08:00-18:00"] },
    holidays: ["2026-12-25"],
  }),
);

describe("support hours", () => {
  it("are open inside a range in the shop's time zone, not the server's", () => {
    // Monday 2026-11-30 07:30 UTC is 08:30 in Berlin (CET, UTC+1).
    expect(isOpen(berlin, new Date("2026-11-30T07:30:00Z"))).toBe(true);
    expect(isOpen(berlin, new Date("2026-11-30T06:59:00Z"))).toBe(false);
    // Lunch break 12:00-13:00 Berlin.
    expect(isOpen(berlin, new Date("2026-11-30T11:30:00Z"))).toBe(false);
    // Summer time: 08:30 Berlin is 06:30 UTC.
    expect(isOpen(berlin, new Date("2026-06-01T06:30:00Z"))).toBe(true);
  });

  it("say when the team is next back: later today, tomorrow, after a weekend and a holiday", () => {
    expect(nextOpening(berlin, new Date("2026-11-30T11:30:00Z"))?.toISOString()).toBe(
      "2026-11-30T12:00:00.000Z",
    );
    expect(describeReturn(berlin, new Date("2026-11-30T11:30:00Z"))).toBe(
      "today at 13:00 (Europe/Berlin time)",
    );
    expect(describeReturn(berlin, new Date("2026-11-30T20:00:00Z"))).toBe(
      "tomorrow at 08:00 (Europe/Berlin time)",
    );
    // Tuesday evening: Wednesday and Thursday are closed, so Friday.
    expect(describeReturn(berlin, new Date("2026-12-01T18:00:00Z"))).toBe(
      "on Friday at 08:00 (Europe/Berlin time)",
    );
    // Friday 25 December is a holiday: back on Monday the 28th.
    expect(nextOpening(berlin, new Date("2026-12-24T20:00:00Z"))?.toISOString()).toBe(
      "2026-12-28T07:00:00.000Z",
    );
  });

  it("cross a daylight-saving change at the right instant", () => {
    // Friday 2027-03-26 evening; clocks go forward on Sunday the 28th: Monday 08:00 is 06:00 UTC.
    const weekdays = DEFAULT_SCHEDULE;
    expect(nextOpening(weekdays, new Date("2027-03-26T19:00:00Z"))?.toISOString()).toBe(
      "2027-03-29T06:00:00.000Z",
    );
  });

  it("describe the week in one line", () => {
    expect(describeSchedule(DEFAULT_SCHEDULE)).toBe("Monday to Friday 08:00-18:00 (Europe/Berlin)");
    expect(describeSchedule(berlin)).toBe(
      "Monday 08:00-12:00, 13:00-18:00; Tuesday 08:00-18:00; Friday 08:00-18:00 (Europe/Berlin)",
    );
  });

  it("refuse a schedule that is not one", () => {
    for (const bad of [
      '{"timeZone":"Mars/Olympus","weekly":{}}',
      '{"timeZone":"UTC","weekly":{"mon":["18:00-08:00"]}}',
      '{"timeZone":"UTC","weekly":{"monday":["08:00-18:00"]}}',
      '{"timeZone":"UTC","weekly":{},"holidays":["25/12/2026"]}',
    ]) {
      expect(() => parseSchedule(bad), bad).toThrow();
    }
    const never = parseSchedule('{"timeZone":"UTC","weekly":{}}');
    expect(nextOpening(never, new Date())).toBeNull();
    expect(describeReturn(never, new Date())).toBeNull();
  });
});
