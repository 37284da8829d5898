/**
 * How the extractive answerer (extractive-answer.ts) reads a help-centre passage: into units that can be quoted on
 * their own. Whole sentences; list items with the sentence or heading that introduces them; table rows with
 * their column headers kept beside each value ("United Kingdom: standard £9.95, express £19.95"). Each unit
 * carries the stems it is matched by, those of the heading and lead it sits under, and whether it says no. Pure.
 */
import { saysNo } from "./answer-clauses.ts";
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

// A unit that says what can be done despite a negative heading ("Unused stoves ... can be returned").
const ALLOWED = /\b(?:can be|are fine|is fine|you can)\b/i;

// Filler to the router, meaning to an answer: "Do I need an account?" is answered by "You don't need an account".
const KEPT = new Set(["need"]);
// Words that stand for whatever is asked about ("when I return something"): rare in help pages, so they would
// outweigh the words that say what the question is about.
const STAND_INS = new Set("something anything everything someone anyone somebody anybody".split(" "));

/**
 * Stems of the words that carry meaning: filler dropped, synonyms of shop vocabulary merged, but every piece of
 * kit kept apart (the router's canonical form folds the whole catalogue into one word).
 */
export function keyStems(text: string, repair?: (word: string) => string): string[] {
  const gear = canonical("gear");
  return normalise(withPlaces(text).replace(GOT_BACK, " $1 refund "), repair)
    .filter((w) => (!isFiller(w) || KEPT.has(w)) && !STAND_INS.has(w) && w.length > 1 && !w.startsWith("q"))
    .map((w) => {
      // Shipping and delivery are one thing to a shopper; the router keeps them apart, an answer must not.
      if (/^(?:ship|deliver|postage)/.test(w)) return "deliver";
      const c = canonical(w);
      return c === gear ? stem(w) : c;
    });
}

// "Do I get my shipping cost back?" asks for a refund, as the router reads "money back".
const GOT_BACK = /\b(?:get|gets|getting|got)\b([^.,;?!]{0,40}?)\bback\b/gi;

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
    /** Words matched as the unit's own but not shown: the column headers a row reads without. */
    unshown = "",
  ) => {
    // A sentence says no by itself; a list item also by the heading or lead it sits under.
    const negative =
      saysNo(u.text) || (u.kind !== "sentence" && saysNo(contextText) && !ALLOWED.test(u.text));
    if (u.text.endsWith("…")) return;
    units.push({
      pointer,
      heading,
      ...u,
      own: new Set(keyStems(`${u.text} ${unshown}`)),
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
      const cellsRead = rest.map((cell, j) => labelled(open?.headers[j + 1] ?? "", cell));
      const described = cellsRead.map((c) => c.text).filter((c) => c.trim() !== "");
      const rowText = `${first ?? ""}: ${described.join("; ").replace(/[.!?]$/, "")}.`;
      push(
        { text: rowText, short: rowText, lead: open.lead, group, kind: "row" },
        `${heading} ${open.lead ?? ""} ${open.headers.join(" ")}`,
        false,
        cellsRead.map((c) => c.unshown).join(" "),
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
    let previous = "";
    for (const sentence of plain(line).split(/(?<=[.!?:])\s+(?=[A-Z0-9"€£$])/)) {
      const s = sentence.trim();
      // A lead of a word or two ("Do it:") means what the sentence before it says: both lead the list.
      const stub = s.endsWith(":") && s.split(" ").length <= 3 && previous !== "";
      lastSentence = s.endsWith(":") ? (stub ? `${previous} ${s}` : s) : null;
      previous = s;
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

/**
 * A table cell with its column header: "standard £9.95". A cell that is a sentence of its own ("The label has been
 * created ...") or sits under a column of remarks ("Notes", "What it means") reads without its header, which
 * would only be glued in front of it; the header's words still count in the row's context.
 */
function labelled(header: string, cell: string): { text: string; unshown: string } {
  const sentence = /^[A-Z].*\s.*[.!?]$/.test(cell);
  const remark = /^(?:notes?|details?|comments?|descriptions?|what (?:it|this) means|meaning|)$/i.test(
    header,
  );
  if (sentence || remark) return { text: cell.replace(/[.!?]$/, ""), unshown: header };
  return { text: `${header.toLowerCase()} ${cell}`, unshown: "" };
}
