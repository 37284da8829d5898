/**
 * The offline brain's extractive answerer: quotes the help-centre text that answers a question, with its citation
 * marker, and nothing else. Called by offline-drafts.ts with the passages search_kb returned.
 *
 * Passages are read into units (answer-units.ts: sentences, list items under their lead, table rows with their
 * headers). Units are scored by the question's words they contain, weighted by how rare each word is among the
 * passages, so "UK" picks its row and "return" alone picks nothing; then by the kind of answer the question asks
 * for (question-shape.ts: "how long" wants a duration, "how often" a frequency, "how much" an amount). An
 * example that illustrates a rule ("Example: you ordered ... to Belgium") counts for less than the rule, and a
 * unit about other kit, or only about other places, than the question names ("If a stove arrives damaged" for a
 * jacket; the Switzerland section for the UK) too. A yes/no question is answered by what units assert
 * (answer-clauses.ts): a unit that states the asked verb ("You don't need an account") comes first, and the
 * question's words inside a unit's condition ("If you return an item from an order that used a code, ...") count
 * half. The reply comes from the passage that answers best, in reading order, about 80 words
 * (answer-render.ts). A list under a heading such as "Items we can't accept back" keeps that heading, so an
 * exclusion is never shown as a condition; a yes/no question whose best unit says no outright, not under a
 * condition, is answered "No." first.
 */

import {
  askedPredicate,
  countedStems,
  isConditional,
  saysNo,
  statesPredicate,
  withoutConditions,
} from "./answer-clauses.ts";
import { cite, fitBudget, render, WORD_BUDGET, words } from "./answer-render.ts";
import { keyStems, type Passage, readUnits, type Unit } from "./answer-units.ts";
import { createSpeller } from "./offline-router-spelling.ts";
import { canonical, lexicon, normalise, stem } from "./offline-router-text.ts";
import { EU_COUNTRIES, OTHER_COUNTRIES } from "./places.ts";
import { type AskedQuestion, questionShape } from "./question-shape.ts";

export type { Passage } from "./answer-units.ts";
export { readUnits } from "./answer-units.ts";

const GEAR = canonical("gear");
// The places keyStems reads in a text, each as its English word (translated names were mapped to them); the two
// words of "new zealand" and "south africa" that are also ordinary words are left out.
const PLACES = new Set(
  `${EU_COUNTRIES} ${OTHER_COUNTRIES.replaceAll("|", " ")} germany austria switzerland norway uk usa canada eu world`
    .split(" ")
    .filter((w) => w !== "new" && w !== "south")
    .map(canonical),
);
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

  const negativeQuestion = saysNo(question);
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
  const { listNoun, howTo } = shape;
  // A yes/no question asks for no value: the "when" of "... when my parcel arrives in the UK?" is no time question.
  const answerType = shape.yesNo ? null : shape.answerType;
  const listQuestion = listNoun !== undefined;
  // The verb a yes/no question asks about: a unit that states it ("You don't need an account") answers it.
  const askedVerb = askedPredicate(repaired);
  const predicate = shape.yesNo ? askedVerb : null;
  // "How long does X take?": these words only frame the question; the answer is X's duration, not a unit that
  // says "take" or "as long as" ("Parcels usually take 3-6 days to reach us" for a question about refunds).
  if (/\bhow long\b/.test(repaired)) for (const s of keyStems("long take takes taking")) wanted.delete(s);
  const wantedWeight = Math.max(1e-9, weigh(wanted));
  // The kit the question names: a unit about other kit only ("If a stove arrives damaged ...") is not about it.
  const askedGear = new Set(keyStemsOfGear(question));
  const titles = new Map(read.flatMap((r) => r.units.map((u) => [u, r.passage.title] as const)));
  const titleGear = (u: Unit) => new Set(keyStemsOfGear(titles.get(u) ?? ""));
  const counted = countedStems(question);
  const askedHeadings = new Map<string, boolean>();
  const asksAsked = (u: Unit) => {
    if (!u.heading.endsWith("?")) return false;
    const known = askedHeadings.get(u.heading) ?? weigh(new Set(keyStems(u.heading))) / wantedWeight >= 0.4;
    askedHeadings.set(u.heading, known);
    return known;
  };
  const leads = new Map<string, Set<string>>();
  const leadStems = (u: Unit) => {
    if (!u.lead || u.lead === u.heading) return new Set<string>();
    const known = leads.get(u.lead) ?? new Set(keyStems(u.lead));
    leads.set(u.lead, known);
    return known;
  };
  const inConditionOnly = (u: Unit) => {
    const asserted = new Set(keyStems(withoutConditions(u.text)));
    return [...u.own].filter((s) => !asserted.has(s));
  };
  // A place the question names ("... arrives in the UK") scopes it: a unit under a heading or in a sentence that
  // names only other places ("Switzerland, Norway, USA ...") answers for them, not for the visitor.
  const askedPlaces = new Set([...wanted].filter((s) => PLACES.has(s)));
  const placeFit = (u: Unit) => {
    if (askedPlaces.size === 0) return 1;
    const named = [...u.own, ...u.context].filter((s) => PLACES.has(s));
    if (named.length === 0) return 1;
    return named.some((s) => askedPlaces.has(s)) ? 1.25 : 0.6;
  };
  // Which article answers is read from what the units are about; how a unit is put (whether it states the asked
  // verb) and which place it is for only pick among the units of that article.
  const scoreUnit = (u: Unit, withinArticle = true) => {
    const asserted = predicate !== null && u.own.has(predicate) && statesPredicate(u.text, predicate);
    // The asked verb as a noun or in passing ("one use, for your first order only") is not what was asked.
    // A yes/no question is answered by what a unit asserts: its words inside a condition ("If you return an item
    // from an order that used a discount code, we refund ...") describe another case and count half.
    const conditionOnly = shape.yesNo ? inConditionOnly(u) : [];
    const own =
      weigh(u.own) -
      0.5 * weigh(conditionOnly) -
      (predicate !== null && u.own.has(predicate) && !asserted ? weigh([predicate]) : 0);
    // A list's lead sentence is shown with its items ("... we send you a welcome code for 10% off your first
    // order: valid for 30 days"): its words are the item's own; a heading stays context.
    const leadWords = leadStems(u);
    const lead = weigh([...leadWords].filter((s) => !u.own.has(s)));
    const context = weigh([...u.context].filter((s) => !u.own.has(s) && !leadWords.has(s)));
    // The heading of a list says what the list is: for "which methods ..." and "how do I ..." it is the answer.
    // So is the heading of a list whose items give the kind of value asked ("Backflushing ... Do it: after every
    // trip" for "how often").
    const typedItem = answerType !== null && u.kind === "item" && answerType.test(u.text);
    // And a heading that asks the visitor's question ("What about my original delivery charge?") heads its answer.
    const contextWeight =
      (listQuestion && u.kind !== "sentence") || (howTo && u.kind === "step") || typedItem || asksAsked(u)
        ? 1
        : 0.5;
    const value = (own + lead + contextWeight * context) / Math.max(1, u.own.size) ** 0.25;
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
    const states = withinArticle && asserted;
    const counts = counted.size > 0 && [...countedStems(u.text)].some((c) => counted.has(c));
    // A question the article asks ("Ordering for an organisation?") introduces an answer; it is none itself.
    const asks = u.text.endsWith("?");
    return (
      (u.pointer ? value * 0.3 : value) *
      polarity *
      typed *
      row *
      (otherKit ? 0.5 : 1) *
      (illustration ? 0.5 : 1) *
      (states ? 1.3 : 1) *
      (counts ? 1.5 : 1) *
      (asks ? 0.5 : 1) *
      (withinArticle ? placeFit(u) : 1)
    );
  };

  // The passage that answers best: its title and its best units, with a small preference for search's order.
  let best: { passage: Passage; units: Unit[]; scores: number[]; value: number } | null = null;
  for (const [rank, r] of read.entries()) {
    const scores = r.units.map((u) => scoreUnit(u, false));
    const top = [...scores].sort((a, b) => b - a);
    const titleStems = new Set(keyStems(`${r.passage.title} ${r.passage.section ?? ""}`));
    // "Can I return an opened cartridge?" is a question about returning: an article whose title names the asked
    // verb ("Which items can't be returned?") answers it before one that only names the thing.
    const askedInTitle = predicate !== null && keyStems(r.passage.title).includes(predicate);
    const title = weigh(titleStems) + (askedInTitle ? 2 * weigh([predicate]) : 0);
    // Search's order only breaks near-ties: tuned on eval:answers' dev half with hybrid search (0.15 per rank
    // left the answer in a lower passage too often; none at all lost more).
    const value = ((top[0] ?? 0) + 0.5 * (top[1] ?? 0) + title) * (1 - 0.05 * rank);
    if (!best || value > best.value) best = { passage: r.passage, units: r.units, scores, value };
  }
  if (!best || best.units.length === 0) return null;
  const { units } = best;
  const scores = units.map((u) => scoreUnit(u));
  const top = Math.max(...scores);
  if (top <= 0)
    return cite(render(units.filter((u) => u.kind === "sentence").slice(0, 2), false), best.passage.ref);
  const refOf = (u: Unit) => u.ref ?? best.passage.ref;
  // An article answers the question its title asks in its opening: with a plain "Yes." or "No." and the reason, or
  // by stating the asked verb ("You don't need an account to shop with us" under "Do I need an account ...?").
  // When the title holds most of the question's weight, a stated Yes or No is the reply; an opening that states
  // the verb opens it, before the unit that answers the question's particulars best.
  let opening: Unit[] = [];
  if (shape.yesNo && weigh(new Set(keyStems(best.passage.title))) / wantedWeight >= 0.6) {
    const sentences = units.filter((u) => u.heading === "" && u.kind === "sentence").slice(0, 2);
    const stated = /^\s*(Yes|No)[.,!]/.exec(best.passage.text)?.[1];
    const first = sentences[0];
    if (first && stated) return cite(`${stated}. ${render(sentences, false)}`, best.passage.ref);
    if (first && predicate && statesPredicate(first.text, predicate)) opening = sentences;
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
      // A list headed by what was asked ("Payment methods"; "How to exchange" for "How do I exchange ...?").
      const heads = (w: string | null | undefined) => w != null && first.context.has(w);
      const named = heads(listNoun && stem(listNoun)) || (howTo && heads(askedVerb)) ? 2 : 1;
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
  for (const u of opening) chosen.add(u);
  const ranked = units.map((u, i) => ({ u, s: scores[i] ?? 0 })).sort((a, b) => b.s - a.s);
  // A best unit that states the asked verb gives the yes or no ("we deliver to most countries in the world"); the
  // next best unit, from any section, gives the particulars ("Rest of the world: standard €39.95").
  let particulars = predicate !== null && statesPredicate(lead.text, predicate) && lead.kind === "sentence";
  for (const { u, s } of ranked) {
    // Beyond the best unit's own list, only what answers well too, and from the same section.
    if (particulars && !chosen.has(u) && s >= top * 0.6 && u.heading !== lead.heading) {
      particulars = false;
      if (words(render([...chosen, u], listQuestion)) <= WORD_BUDGET) chosen.add(u);
      continue;
    }
    // One step of a procedure is half an instruction: steps come as the whole list (above) or not at all.
    if (chosen.has(u) || s < top * 0.6 || u.heading !== lead.heading || u.kind === "step") continue;
    if (words(render([...chosen, u], listQuestion)) > WORD_BUDGET) break;
    chosen.add(u);
  }
  // "What should I do?" answered by a sentence that only names the situation ("If something arrived damaged ...,
  // we'll sort it out quickly"), with no instruction beside it: what to do is in the instructions that follow,
  // up to the end of the next section.
  if (howTo && ![...chosen].some(isInstruction)) {
    const from = units.indexOf(lead);
    const sections = new Set([lead.heading]);
    for (const u of units.slice(from + 1)) {
      sections.add(u.heading);
      if (sections.size > 2) break;
      if (!isInstruction(u)) continue;
      if (words(render([...chosen, u], listQuestion)) > WORD_BUDGET) break;
      chosen.add(u);
    }
  }
  const ordered = units.filter((u) => chosen.has(u));
  const fitted = fitBudget(ordered, lead, listQuestion);
  const text = render(fitted, listQuestion || fitted.filter((u) => u.kind === "item").length > 3);
  // "No." only when the unit that says no is about what was asked (most of the question's weight is in it, or it
  // is the opening that states the asked verb) and says it outright, not under a condition ("If you return only
  // some of the items, the delivery charge isn't refunded" is neither yes nor no).
  const answer = opening[0] ?? lead;
  const coverage = weigh(new Set([...answer.own, ...answer.context])) / wantedWeight;
  const no =
    shape.yesNo &&
    answer.negative &&
    !isConditional(answer.text) &&
    (answer === opening[0] || coverage >= 0.6);
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

// The verbs help pages start an instruction with ("Please contact us ...", "Include: ...", "Check the packing slip").
const INSTRUCTION =
  /^(?:please\s+)?(?:contact|check|include|keep|send|go|choose|select|use|tell|open|enter|print|drop|add|follow|ask|pack|sign|fill|push|press|leave|email|write|attach|take|wait|try|copy|pick|register|start|call|return|make sure)\b/i;

/** A unit that tells the visitor what to do: a step, or a sentence or list item (or its lead) in the imperative. */
function isInstruction(u: Unit): boolean {
  return (
    u.kind === "step" || INSTRUCTION.test(u.text) || (u.kind === "item" && INSTRUCTION.test(u.lead ?? ""))
  );
}
