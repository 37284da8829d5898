/**
 * The offline brain's extractive answerer: quotes the help-centre text that answers a question, with its citation
 * marker, and nothing else. Called by offline-drafts.ts with the passages search_kb returned.
 *
 * A passage is read into units: whole sentences, list items with the sentence or heading that introduces them,
 * and table rows with their column headers ("United Kingdom: standard £9.95, express £19.95"). Units are scored
 * by the question's words they contain, weighted by how rare each word is among the passages, so "UK" picks its
 * row and "return" alone picks nothing. The reply comes from the passage that answers best, in reading order,
 * about 80 words. A list under a heading such as "Items we can't accept back" keeps that heading, so an exclusion
 * is never shown as a condition; a yes/no question whose best unit says no is answered "No." first.
 */
import { createSpeller } from "./offline-router-spelling.ts";
import { canonical, isFiller, lexicon, normalise, stem } from "./offline-router-text.ts";
import { EU_COUNTRIES, OTHER_COUNTRIES, PLACE_ALIASES } from "./places.ts";

export interface Passage {
  ref: string;
  title: string;
  section?: string | undefined;
  text: string;
}

interface Unit {
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

const WORD_BUDGET = 80;
const NEGATION =
  /\b(?:not|no|never|nothing|none|cannot|can't|don't|doesn't|won't|isn't|aren't|wasn't|haven't|hasn't|except|excluded)\b|n't\b/i;
// A unit that says what can be done despite a negative heading ("Unused stoves ... can be returned").
const ALLOWED = /\b(?:can be|are fine|is fine|you can)\b/i;
const YES_NO_START =
  /^(?:do|does|did|can|could|is|are|was|were|will|would|may|might|should|shall|have|has|am)\b/i;
const LIST_QUESTION =
  /\b(?:which|what)\b.*\b(methods?|items?|options?|ways?|kinds?|types?|things?|countries)\b/i;
const HOW_TO = /\bhow (?:do|can|should) (?:i|we|you)\b|\bhow to\b|\bsteps?\b/i;

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

/**
 * @example
 * extractiveAnswer("How much is delivery to the UK?", [{ ref: "S1", title: "Shipping", text: "| Region | Standard |\n|---|---|\n| United Kingdom | £9.95 |" }]);
 * // "United Kingdom: standard £9.95 [S1]."
 */
export function extractiveAnswer(question: string, passages: readonly Passage[]): string | null {
  if (passages.length === 0) return null;
  const read = articles(passages.slice(0, 3));
  const correct = passageSpeller(passages);
  const wanted = new Set(keyStems(question, correct));

  const negativeQuestion = NEGATION.test(question);
  const idf = inverseFrequencies(read.flatMap((r) => r.units));
  const weigh = (stems: Iterable<string>) => {
    let total = 0;
    for (const s of stems) if (wanted.has(s)) total += idf(s);
    return total;
  };
  const repaired = normalise(question, correct).join(" ");
  const listNoun = LIST_QUESTION.exec(repaired)?.[1];
  const listQuestion = listNoun !== undefined;
  // A bare topic ("password reset") asks for the topic's steps or list, as "how do I" does.
  const howTo = HOW_TO.test(repaired) || (!/\?/.test(question) && repaired.split(" ").length <= 4);
  // "How long ...", "How much ...": the answer is a number, a price or a time.
  const wantsNumber = /\bhow (?:long|many|much|soon|often)\b|\bwhen\b|\bcosts?\b|\bprices?\b|\bhours\b/i.test(
    repaired,
  );
  // "How long does X take?": these words only frame the question; the answer is X's duration, not a unit that
  // says "take" or "as long as" ("Parcels usually take 3-6 days to reach us" for a question about refunds).
  if (/\bhow long\b/.test(repaired)) for (const s of keyStems("long take takes taking")) wanted.delete(s);
  const duration = /\d+(?:-\d+)?\s+(?:business\s+|working\s+)?(?:days?|weeks?|hours?|minutes?|months?)\b/i;
  const scoreUnit = (u: Unit) => {
    const own = weigh(u.own);
    const context = weigh([...u.context].filter((s) => !u.own.has(s)));
    // The heading of a list says what the list is: for "which methods ..." and "how do I ..." it is the answer.
    const contextWeight = (listQuestion && u.kind !== "sentence") || (howTo && u.kind === "step") ? 1 : 0.5;
    const value = (own + contextWeight * context) / Math.max(1, u.own.size) ** 0.25;
    // "Which items can't be returned?" asks for the exclusions, not for what can be.
    const polarity = negativeQuestion ? (u.negative ? 1.5 : 0.6) : 1;
    // A time question is answered by a duration, not by any number ("how long" -> "within 3 business days").
    const numeric =
      wantsNumber && (/\bhow (?:long|soon)\b/.test(repaired) ? duration : /\d/).test(u.text) ? 1.3 : 1;
    // A table row is the most specific fact a help page has: a tie goes to it.
    const row = u.kind === "row" ? 1.2 : 1;
    return (u.pointer ? value * 0.3 : value) * polarity * numeric * row;
  };

  // The passage that answers best: its title and its best units, with a small preference for search's order.
  let best: { passage: Passage; units: Unit[]; scores: number[]; value: number } | null = null;
  for (const [rank, r] of read.entries()) {
    const scores = r.units.map(scoreUnit);
    const top = [...scores].sort((a, b) => b - a);
    const title = weigh(new Set(keyStems(`${r.passage.title} ${r.passage.section ?? ""}`)));
    // Search's order only breaks near-ties: tuned on eval:answers' dev half with hybrid search (0.15 per rank
    // left the answer in a lower passage too often; none at all lost more).
    const value = ((top[0] ?? 0) + 0.5 * (top[1] ?? 0) + title) * (1 - 0.05 * rank);
    if (!best || value > best.value) best = { passage: r.passage, units: r.units, scores, value };
  }
  if (!best || best.units.length === 0) return null;
  const { units, scores } = best;
  const top = Math.max(...scores);
  if (top <= 0)
    return cite(render(units.filter((u) => u.kind === "sentence").slice(0, 2), false), best.passage.ref);
  const refOf = (u: Unit) => u.ref ?? best.passage.ref;

  let lead = units[scores.indexOf(top)];
  if (!lead) return null;
  if (listQuestion || howTo) {
    // "Which payment methods ...", "How do I reset ...": the list, table or steps whose heading or lead says what
    // was asked is the answer, more than any one sentence that shares a word with the question.
    const groups = new Map<number, Unit[]>();
    for (const u of units) if (u.group >= 0) groups.set(u.group, [...(groups.get(u.group) ?? []), u]);
    let bestGroup: { first: Unit; value: number } | null = null;
    for (const members of groups.values()) {
      const first = members[0];
      if (!first || members.length < 2 || (howTo && !listQuestion && first.kind !== "step")) continue;
      const polarity = negativeQuestion ? (first.negative ? 1.5 : 0.5) : 1;
      const named = listNoun !== undefined && first.context.has(stem(listNoun)) ? 2 : 1;
      const value =
        (weigh(first.context) + 0.3 * weigh(new Set(members.flatMap((m) => [...m.own])))) * polarity * named;
      if (!bestGroup || value > bestGroup.value) bestGroup = { first, value };
    }
    if (bestGroup && bestGroup.value >= top * 0.9) lead = bestGroup.first;
  }
  const leadScore = scores[units.indexOf(lead)] ?? top;
  const chosen = new Set<Unit>([lead]);
  // A list or table the best unit belongs to: its other rows when they answer too, or all of it for "which ..."
  // and "how do I ..." questions, whose answer is the list.
  if (lead.kind !== "sentence") {
    const wholeList =
      (listQuestion && lead.kind !== "row") || (howTo && lead.kind === "step") || lead.kind === "row";
    units.forEach((u, i) => {
      if (u.group !== lead.group) return;
      const s = scores[i] ?? 0;
      if (lead.kind === "row" && !listQuestion ? s >= leadScore * 0.999 : wholeList || s >= leadScore * 0.8)
        chosen.add(u);
    });
  }
  const ranked = units.map((u, i) => ({ u, s: scores[i] ?? 0 })).sort((a, b) => b.s - a.s);
  for (const { u, s } of ranked) {
    // Beyond the best unit's own list, only what answers well too, and from the same section.
    if (chosen.has(u) || s < top * 0.6 || u.heading !== lead.heading) continue;
    if (words(render([...chosen, u], listQuestion)) > WORD_BUDGET) break;
    chosen.add(u);
  }
  const ordered = units.filter((u) => chosen.has(u));
  const fitted = fitBudget(ordered, lead, listQuestion);
  const text = render(fitted, listQuestion || fitted.filter((u) => u.kind === "item").length > 3);
  // "No." only when the unit that says no is about what was asked: most of the question's weight is in it.
  const coverage = weigh(new Set([...lead.own, ...lead.context])) / Math.max(1e-9, weigh(wanted));
  const no =
    YES_NO_START.test(question.replace(/^\W*(?:hi|hello|hey)\b\W*/i, "").trim()) &&
    lead.negative &&
    coverage >= 0.6;
  return cite(no ? `No. ${text}` : text, refOf(lead));
}

/**
 * Passages of one article (two chunks of a long page share its title) are read as one: the answer to "how much
 * is shipping to the UK" may sit in the chunk search ranked third while the first holds the page's tax notes.
 * Each unit keeps the ref of its own chunk, for the citation; list and table groups stay apart across chunks.
 */
function articles(passages: readonly Passage[]): { passage: Passage; units: Unit[] }[] {
  const out: { passage: Passage; units: Unit[] }[] = [];
  for (const [index, p] of passages.entries()) {
    const units = cachedUnits(p.text).map((u) => ({
      ...u,
      ref: p.ref,
      group: u.group < 0 ? u.group : u.group + index * 10_000,
    }));
    const same = out.find((a) => a.passage.title === p.title && p.title.trim() !== "");
    if (same) same.units.push(...units.map((u, i) => ({ ...u, position: same.units.length + i })));
    else out.push({ passage: p, units });
  }
  return out;
}

/**
 * Reading a passage into units is most of an answer's time, and the same help-centre chunks come back turn after
 * turn: the units of the last 128 passages read in this isolate are kept (they are never changed
 * after reading; articles() copies each unit it adapts). A changed chunk has other text, so it is read anew.
 */
const unitCache = new Map<string, Unit[]>();
function cachedUnits(text: string): Unit[] {
  return remember(unitCache, 128, text, () => readUnits(text));
}

/**
 * Typos are repaired towards the passages' own words ("germny" is the "Germany" of the delivery table). The
 * speller indexes every deletion of every word of the lexicon and the passages, which cost more than the rest
 * of an answer once the units were cached; one search's passages answer many visitors, so the spellers of the
 * last 32 sets of passages are kept.
 */
const spellerCache = new Map<string, (word: string) => string>();
function passageSpeller(passages: readonly Passage[]): (word: string) => string {
  const key = passages.map((p) => `${p.title}\u0000${p.text}`).join("\u0001");
  return remember(spellerCache, 32, key, () => {
    const vocabulary = new Map<string, number>(lexicon.map((w) => [w, 0]));
    for (const p of passages)
      for (const w of normalise(`${p.title} ${p.text}`)) vocabulary.set(w, (vocabulary.get(w) ?? 0) + 1);
    return createSpeller(vocabulary).correct;
  });
}

/** A bounded per-isolate memo: the most recently used entry last, so the oldest is dropped first. */
function remember<V>(cache: Map<string, V>, size: number, key: string, make: () => V): V {
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const value = make();
  cache.set(key, value);
  if (cache.size > size) cache.delete(cache.keys().next().value ?? "");
  return value;
}

/** Drops the lowest units from the end until the reply fits the budget; the best unit always stays. */
function fitBudget(units: Unit[], keep: Unit, short: boolean): Unit[] {
  const out = [...units];
  while (out.length > 1 && words(render(out, short)) > WORD_BUDGET * 1.25) {
    const drop = out.findLastIndex((u) => u !== keep);
    if (drop < 0) break;
    out.splice(drop, 1);
  }
  return out;
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** Units in reading order; a run of items of one list is shown under its lead, once. */
function render(units: readonly Unit[], short: boolean): string {
  const out: string[] = [];
  let group = -1;
  for (const u of units) {
    if (u.kind === "sentence") {
      out.push(group === -1 ? u.text : `\n\n${u.text}`);
      group = -1;
      continue;
    }
    const body = short && u.kind === "item" ? u.short : u.text;
    if (u.group !== group) {
      group = u.group;
      const siblings = units.filter((v) => v.group === u.group).length;
      if (siblings === 1) {
        out.push(
          u.lead ? `${u.lead.replace(/:$/, "")}: ${u.kind === "row" ? body : lowerFirst(body)}` : body,
        );
        continue;
      }
      out.push(u.lead ? `\n${u.lead.endsWith(":") ? u.lead : `${u.lead}:`}` : "\n");
    }
    out.push(`\n- ${body}`);
  }
  return out
    .join(" ")
    .replace(/ +\n/g, "\n")
    .replace(/\n +/g, "\n")
    .replace(/^\n+/, "")
    .replace(/\n\n+(?=- )/g, "\n")
    .trim();
}

/** Puts the citation marker before the closing full stop, or after a list. */
function cite(text: string, ref: string): string {
  const trimmed = text.trim();
  if (trimmed === "") return "";
  const lastLine = trimmed.slice(trimmed.lastIndexOf("\n") + 1);
  if (lastLine.startsWith("- ")) return `${trimmed} [${ref}]`;
  return `${trimmed.replace(/[.!?]*$/, "")} [${ref}].`;
}

function lowerFirst(text: string): string {
  // "Gas canisters and ..." reads on after a colon in lower case; a name ("PayPal", "Germany", "UK") keeps its capitals.
  const [first, second] = text.split(" ");
  const ordinary =
    /^[A-Z][a-z]+$/.test(first ?? "") && /^[a-z]/.test(second ?? "") && !PROPER.test(first ?? "");
  return ordinary ? text[0]?.toLowerCase() + text.slice(1) : text;
}

const PROPER = /^(?:Germany|Austria|Switzerland|Norway|Fernhill|Klarna|Visa|Clearbrook|I)$/;

function inverseFrequencies(units: readonly Unit[]): (stem: string) => number {
  const df = new Map<string, number>();
  for (const u of units) for (const s of new Set([...u.own, ...u.context])) df.set(s, (df.get(s) ?? 0) + 1);
  const n = units.length;
  return (s) => Math.log(1 + n / (df.get(s) ?? 1));
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
      const finished = /[.!?]$/.test(body) ? body : `${body}.`;
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
