/**
 * How the extractive answerer (extractive-answer.ts) reads a help-centre passage: into units that can be quoted on
 * their own. Whole sentences; list items with the sentence or heading that introduces them; table rows with
 * their column headers kept beside each value ("United Kingdom: standard £9.95, express £19.95"). Each unit
 * carries the stems it is matched by, those of the heading and lead it sits under, and whether it says no. Pure.
 */
import { canonical, isFiller, normalise, stem } from "./offline-router-text.ts";
import { EU_COUNTRIES, OTHER_COUNTRIES, PLACE_ALIASES } from "./places.ts";

export interface Passage {
  ref: string;
  title: string;
  section?: string | undefined;
  text: string;
}

export interface Unit {
  /** The words shown. */
  text: string;
  /** The first sentence of a list item: what a list of several items shows of it. */
  short: string;
  own: Set<string>;
  /** Stems of the heading and the lead sentence the unit sits under. */
  context: Set<string>;
  /** The lead shown above a list or table ("Items we can't accept back:"), when the unit is in one. */
  lead: string | null;
  group: number;
  heading: string;
  kind: "sentence" | "item" | "step" | "row";
  position: number;
  negative: boolean;
  /** A sentence that only sends the reader to another article ("See [Refund timing](...)"). */
  pointer: boolean;
  /** The citation ref of the passage the unit was read from. */
  ref?: string;
}

export const NEGATION =
  /\b(?:not|no|never|nothing|none|cannot|can't|don't|doesn't|won't|isn't|aren't|wasn't|haven't|hasn't|except|excluded)\b|n't\b/i;
// A unit that says what can be done despite a negative heading ("Unused stoves ... can be returned").
const ALLOWED = /\b(?:can be|are fine|is fine|you can)\b/i;

/**
 * Stems of the words that carry meaning: filler dropped, synonyms of shop vocabulary merged, but every piece of
 * kit kept apart (the router's canonical form folds the whole catalogue into one word).
 */
export function keyStems(text: string, repair?: (word: string) => string): string[] {
  const gear = canonical("gear");
  return normalise(withPlaces(text), repair)
    .filter((w) => !isFiller(w) && w.length > 1 && !w.startsWith("q"))
    .map((w) => {
      // Shipping and delivery are one thing to a shopper; the router keeps them apart, an answer must not.
      if (/^(?:ship|deliver|postage)/.test(w)) return "deliver";
      const c = canonical(w);
      return c === gear ? stem(w) : c;
    });
}

// One pattern per region, compiled once: withPlaces runs on every unit of every passage a turn reads, and
// compiling a pattern per country there was a third of an offline answer's time (bench/turns.ts profile).
const EU_COUNTRY = new RegExp(`\\b(?:${EU_COUNTRIES.split(" ").join("|")})\\b`);
const OTHER_COUNTRY = new RegExp(`\\b(?:${OTHER_COUNTRIES})\\b`);

/** "UK" and "United Kingdom" become one word; a country also names its region ("Belgium" is in the EU). */
function withPlaces(text: string): string {
  let out = text;
  for (const [pattern, word] of PLACE_ALIASES) out = out.replace(pattern, ` ${word} `);
  const lower = out.toLowerCase();
  const extra: string[] = [];
  if (EU_COUNTRY.test(lower)) extra.push("eu");
  if (OTHER_COUNTRY.test(lower)) extra.push("world");
  return extra.length > 0 ? `${out} ${extra.join(" ")}` : out;
}

const plain = (text: string) =>
  text
    .replaceAll("**", "")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .trim();

/** Reads a passage's Markdown into units (see the file header). */
export function readUnits(text: string): Unit[] {
  const lines = text.split("\n").map((l) => l.trim());
  const units: Unit[] = [];
  let heading = "";
  let lastSentence: string | null = null;
  let group = 0;
  let open: { kind: "item" | "step" | "row"; lead: string | null; headers: string[] } | null = null;
  const separator = (line: string | undefined) =>
    line !== undefined && /^\|?[\s:|-]+\|?$/.test(line) && line.includes("-");
  const push = (
    u: Omit<Unit, "position" | "negative" | "own" | "context" | "pointer" | "heading">,
    contextText: string,
    pointer = false,
  ) => {
    // A sentence says no by itself; a list item also by the heading or lead it sits under.
    const negative =
      NEGATION.test(u.text) || (u.kind !== "sentence" && NEGATION.test(contextText) && !ALLOWED.test(u.text));
    if (u.text.endsWith("…")) return;
    units.push({
      pointer,
      heading,
      ...u,
      own: new Set(keyStems(u.text)),
      context: new Set(keyStems(contextText)),
      position: units.length,
      negative,
    });
  };

  for (const [i, line] of lines.entries()) {
    if (line === "") continue;
    const h = /^#{1,6}\s+(.*)$/.exec(line);
    if (h) {
      heading = plain(h[1] ?? "");
      open = null;
      lastSentence = null;
      continue;
    }
    if (line.startsWith("|")) {
      if (separator(line)) continue;
      const cells = line
        .split("|")
        .slice(1, -1)
        .map((c) => plain(c));
      if (separator(lines[i + 1])) {
        group++;
        open = { kind: "row", lead: lastSentence ?? (heading || null), headers: cells };
        continue;
      }
      if (open?.kind !== "row") {
        group++;
        open = { kind: "row", lead: lastSentence ?? (heading || null), headers: [] };
      }
      const [first, ...rest] = cells;
      const described = rest
        .map((cell, j) => {
          const header = open?.headers[j + 1] ?? "";
          return /^(?:notes?|details?|comments?|)$/i.test(header) ? cell : `${header.toLowerCase()} ${cell}`;
        })
        .filter((c) => c.trim() !== "");
      const rowText = `${first ?? ""}: ${described.join("; ")}.`;
      push(
        { text: rowText, short: rowText, lead: open.lead, group, kind: "row" },
        `${heading} ${open.lead ?? ""} ${open.headers.join(" ")}`,
      );
      continue;
    }
    const item = /^(?:([-*+])|(\d+)\.)\s+(.*)$/.exec(line);
    if (item) {
      const kind = item[2] ? "step" : "item";
      if (!open || open.kind !== kind) {
        group++;
        open = { kind, lead: lastSentence ?? (heading || null), headers: [] };
      }
      const body = plain(item[3] ?? "").replace(/[,;]$|,? (?:or|and)$/, "");
      const finished = /[.!?]$/.test(body) ? body : `${body.replace(/:$/, "")}.`;
      const short = finished.split(/(?<=[.!?])\s+(?=[A-Z0-9])/)[0] ?? finished;
      push({ text: finished, short, lead: open.lead, group, kind }, `${heading} ${open.lead ?? ""}`);
      continue;
    }
    open = null;
    const linked = /\]\(https?:/.test(line);
    for (const sentence of plain(line).split(/(?<=[.!?:])\s+(?=[A-Z0-9"€£$])/)) {
      const s = sentence.trim();
      lastSentence = s.endsWith(":") ? s : null;
      if (s.length < 12 || s.endsWith(":")) continue;
      push(
        { text: s, short: s, lead: null, group: -1, kind: "sentence" },
        heading,
        linked && /\b(?:see|have a look at|more detail is in|read)\b/i.test(s),
      );
    }
  }
  return units;
}
