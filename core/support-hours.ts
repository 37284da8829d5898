/**
 * Support hours as data: an IANA time zone, a weekly schedule of opening ranges and a list of holidays. Answers
 * whether the team is in now and when it is next back, in the shop's time zone (Intl does the time-zone work,
 * so daylight-saving changes are right). Parsed from the SUPPORT_SCHEDULE setting; used by the thread to
 * decide what a visitor who asks for a person is told, and by the console.
 *
 * @example
 * SUPPORT_SCHEDULE='{"timeZone":"Europe/Berlin","weekly":{"mon":["08:00-18:00"]},"holidays":["2026-12-25"]}'
 */
import { z } from "zod";

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
type Weekday = (typeof WEEKDAYS)[number];
const DAY_NAMES: Record<Weekday, string> = {
  sun: "Sunday",
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
};

const range = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, "a range is HH:MM-HH:MM")
  .transform((s) => {
    const [from = "", to = ""] = s.split("-");
    return { from: minutes(from), to: minutes(to) };
  })
  .refine((r) => r.to > r.from, "a range must end after it starts");

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "not a known IANA time zone");

export const supportScheduleSchema = z.strictObject({
  timeZone,
  weekly: z.partialRecord(z.enum(WEEKDAYS), z.array(range).max(4)),
  holidays: z.array(z.iso.date()).max(100).default([]),
});
export type SupportSchedule = z.output<typeof supportScheduleSchema>;

export const DEFAULT_SCHEDULE = supportScheduleSchema.parse({
  timeZone: "Europe/Berlin",
  weekly: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, ["08:00-18:00"]])),
  holidays: [],
});

/** Parses the SUPPORT_SCHEDULE setting (JSON); empty means the default, Monday to Friday 08:00-18:00 Berlin. */
export function parseSchedule(raw: string | undefined): SupportSchedule {
  if (!raw?.trim()) return DEFAULT_SCHEDULE;
  return supportScheduleSchema.parse(JSON.parse(raw));
}

interface LocalTime {
  date: string;
  weekday: Weekday;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function localTime(at: Date, tz: string): LocalTime {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
    });
    formatters.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  const weekday = (p.weekday ?? "").toLowerCase().slice(0, 3) as Weekday;
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    weekday,
    minute: Number(p.hour) * 60 + Number(p.minute),
  };
}

/** The instant at which the wall clock in `tz` shows `date` `minute` (the later one in a DST overlap). */
function instant(date: string, minute: number, tz: string): Date {
  const [y = 0, m = 1, d = 1] = date.split("-").map(Number);
  const guess = Date.UTC(y, m - 1, d, 0, minute);
  let at = guess;
  for (let i = 0; i < 2; i++) {
    const local = localTime(new Date(at), tz);
    const [ly = 0, lm = 1, ld = 1] = local.date.split("-").map(Number);
    const shown = Date.UTC(ly, lm - 1, ld, 0, local.minute);
    at += guess - shown;
  }
  return new Date(at);
}

function rangesOn(schedule: SupportSchedule, local: LocalTime) {
  return schedule.holidays.includes(local.date) ? [] : (schedule.weekly[local.weekday] ?? []);
}

export function isOpen(schedule: SupportSchedule, now: Date): boolean {
  const local = localTime(now, schedule.timeZone);
  return rangesOn(schedule, local).some((r) => local.minute >= r.from && local.minute < r.to);
}

/** When the team is next in (now, if it is in now); null if the schedule has no opening within 3 weeks. */
export function nextOpening(schedule: SupportSchedule, now: Date): Date | null {
  if (isOpen(schedule, now)) return now;
  const today = localTime(now, schedule.timeZone);
  for (let day = 0; day < 21; day++) {
    // Noon of each following local day names the date safely across DST changes.
    const noon = instant(today.date, 12 * 60, schedule.timeZone);
    const local = localTime(new Date(noon.getTime() + day * 86_400_000), schedule.timeZone);
    const starts = rangesOn(schedule, local)
      .map((r) => r.from)
      .filter((from) => day > 0 || from > today.minute)
      .sort((a, b) => a - b);
    if (starts[0] !== undefined) return instant(local.date, starts[0], schedule.timeZone);
  }
  return null;
}

/**
 * When the team is back, in words a visitor understands: "today at 14:00", "tomorrow at 08:00" or
 * "on Monday at 08:00", always with the shop's time zone.
 */
export function describeReturn(schedule: SupportSchedule, now: Date): string | null {
  const at = nextOpening(schedule, now);
  if (!at) return null;
  const tz = schedule.timeZone;
  const then = localTime(at, tz);
  const today = localTime(now, tz);
  const tomorrow = localTime(new Date(instant(today.date, 12 * 60, tz).getTime() + 86_400_000), tz);
  const when =
    then.date === today.date
      ? "today"
      : then.date === tomorrow.date
        ? "tomorrow"
        : `on ${DAY_NAMES[then.weekday]}`;
  return `${when} at ${clock(then.minute)} (${tz} time)`;
}

/** The weekly schedule in one line, e.g. "Monday to Friday 08:00-18:00 (Europe/Berlin)". */
export function describeSchedule(schedule: SupportSchedule): string {
  const order: Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const label = (d: Weekday) =>
    (schedule.weekly[d] ?? []).map((r) => `${clock(r.from)}-${clock(r.to)}`).join(", ");
  const groups: { from: Weekday; to: Weekday; hours: string }[] = [];
  for (const d of order) {
    const hours = label(d);
    const last = groups.at(-1);
    if (hours && last && last.hours === hours && order.indexOf(d) === order.indexOf(last.to) + 1) last.to = d;
    else if (hours) groups.push({ from: d, to: d, hours });
  }
  if (groups.length === 0) return `no regular hours (${schedule.timeZone})`;
  const days = groups.map((g) =>
    g.from === g.to
      ? `${DAY_NAMES[g.from]} ${g.hours}`
      : `${DAY_NAMES[g.from]} to ${DAY_NAMES[g.to]} ${g.hours}`,
  );
  return `${days.join("; ")} (${schedule.timeZone})`;
}

function minutes(hhmm: string): number {
  const [h = 0, m = 0] = hhmm.split(":").map(Number);
  return h * 60 + m;
}

function clock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}
