/**
 * The offline brain's extractive answerer: quotes the help-centre text that answers a question, with its citation
 * marker, and nothing else. Called by offline-drafts.ts with the passages search_kb returned.
 *
 * Passages are read into units (answer-units.ts: sentences, list items under their lead, table rows with their
 * headers). Units are scored by the question's words they contain, weighted by how rare each word is among the
 * passages, so "UK" picks its row and "return" alone picks nothing; then by the kind of answer the question asks
 * for (question-shape.ts: "how long" wants a duration, "how often" a frequency, "how much" an amount). An
 * example that illustrates a rule ("Example: you ordered ... to Belgium") counts for less than the rule, and a
 * unit about other kit than the question names ("If a stove arrives damaged" for a jacket) too. The reply comes
 * from the passage that answers best, in reading order, about 80 words (answer-render.ts). A list under a
 * heading such as "Items we can't accept back" keeps that heading, so an exclusion is never shown as a
 * condition; a yes/no question whose best unit says no is answered "No." first.
 */

import { cite, fitBudget, render, WORD_BUDGET, words } from "./answer-render.ts";
import { keyStems, NEGATION, type Passage, readUnits, type Unit } from "./answer-units.ts";
import { createSpeller } from "./offline-router-spelling.ts";
import { canonical, lexicon, normalise, stem } from "./offline-router-text.ts";
import { type AskedQuestion, questionShape } from "./question-shape.ts";

export type { Passage } from "./answer-units.ts";
export { readUnits } from "./answer-units.ts";

const GEAR = canonical("gear");
// "Example: you ordered a €99 rain jacket to Belgium ..." illustrates a rule; the rule itself is the answer.
const ILLUSTRATION = /^(?:example|for example|for instance|e\.g\.)\b/i;

/**
 * @example
 * extractiveAnswer("How much is delivery to the UK?", [{ ref: "S1", title: "Shipping", text: "| Region | Standard |\n|---|---|\n| United Kingdom | £9.95 |" }]);
 * // "United Kingdom: standard £9.95 [S1]."
 */
export function extractiveAnswer(
  question: string,
  passages: readonly Passage[],
  focus?: string,
  /** The question in the visitor's own words and language, when the searched question is a gloss of it. */
  asked?: AskedQuestion,
): string | null {
  if (passages.length === 0) return null;
  const read = articles(passages.slice(0, 3));
  const correct = passageSpeller(passages);
  const wanted = new Set(keyStems(question, correct));

  const negativeQuestion = NEGATION.test(question);
  const idf = inverseFrequencies(read.flatMap((r) => r.units));
  // In a follow-up ("does it cover normal wear?" after a warranty question) the new words count double: the
  // carried topic found the article, the new words find the answer in it.
  const focused = new Set(focus ? keyStems(focus, correct) : []);
  const weigh = (stems: Iterable<string>) => {
    let total = 0;
    for (const s of stems) if (wanted.has(s)) total += idf(s) * (focused.has(s) ? 2 : 1);
    return total;
  };
  const repaired = normalise(question, correct).join(" ");
  const shape = questionShape(asked?.text ?? question, asked?.lang, correct);
  const { listNoun, howTo, answerType } = shape;
  const listQuestion = listNoun !== undefined;
  // "How long does X take?": these words only frame the question; the answer is X's duration, not a unit that
  // says "take" or "as long as" ("Parcels usually take 3-6 days to reach us" for a question about refunds).
  if (/\bhow long\b/.test(repaired)) for (const s of keyStems("long take takes taking")) wanted.delete(s);
  // The kit the question names: a unit about other kit only ("If a stove arrives damaged ...") is not about it.
  const askedGear = new Set(keyStemsOfGear(question));
  const titles = new Map(read.flatMap((r) => r.units.map((u) => [u, r.passage.title] as const)));
  const titleGear = (u: Unit) => new Set(keyStemsOfGear(titles.get(u) ?? ""));
  const scoreUnit = (u: Unit) => {
    const own = weigh(u.own);
    const context = weigh([...u.context].filter((s) => !u.own.has(s)));
    // The heading of a list says what the list is: for "which methods ..." and "how do I ..." it is the answer.
    const contextWeight = (listQuestion && u.kind !== "sentence") || (howTo && u.kind === "step") ? 1 : 0.5;
    const value = (own + contextWeight * context) / Math.max(1, u.own.size) ** 0.25;
    // "Which items can't be returned?" asks for the exclusions, not for what can be.
    const polarity = negativeQuestion ? (u.negative ? 1.5 : 0.6) : 1;
    // A time question is answered by a duration, not by any number ("how long" -> "within 3 business days").
    const typed = answerType === null ? 1 : answerType.test(u.text) ? 1.3 : 0.8;
    // A table row is the most specific fact a help page has: a tie goes to it.
    const row = u.kind === "row" ? 1.2 : 1;
    // Kit the article is about (its title names it) is never "other kit" there: canisters on the stove page.
    const unitGear = keyStemsOfGear(u.text).filter((g) => !titleGear(u).has(g));
    const otherKit = askedGear.size > 0 && unitGear.length > 0 && !unitGear.some((g) => askedGear.has(g));
    const illustration = ILLUSTRATION.test(u.text) || /\bexamples?\b/i.test(u.heading);
    return (
      (u.pointer ? value * 0.3 : value) *
      polarity *
      typed *
      row *
      (otherKit ? 0.5 : 1) *
      (illustration ? 0.5 : 1)
    );
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
  // An article that opens with a plain "Yes." or "No." states the answer to the question its title asks: when
  // that title holds most of the question's weight, the reply is that answer and the opening's reason for it.
  const stated = shape.yesNo ? /^\s*(Yes|No)[.,!]/.exec(best.passage.text)?.[1] : undefined;
  if (stated) {
    const titleCoverage = weigh(new Set(keyStems(best.passage.title))) / Math.max(1e-9, weigh(wanted));
    const opening = units.filter((u) => u.heading === "" && u.kind === "sentence").slice(0, 2);
    if (titleCoverage >= 0.6 && opening.length > 0)
      return cite(`${stated}. ${render(opening, false)}`, best.passage.ref);
  }

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
  const no = shape.yesNo && lead.negative && coverage >= 0.6;
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

/** Stems of the pieces of kit a text names ("jacket", "stove"), each kept apart. */
function keyStemsOfGear(text: string): string[] {
  return normalise(text)
    .filter((w) => canonical(w) === GEAR)
    .map(stem);
}

function inverseFrequencies(units: readonly Unit[]): (stem: string) => number {
  const df = new Map<string, number>();
  for (const u of units) for (const s of new Set([...u.own, ...u.context])) df.set(s, (df.get(s) ?? 0) + 1);
  const n = units.length;
  return (s) => Math.log(1 + n / (df.get(s) ?? 1));
}
