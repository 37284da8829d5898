// The offline brain's router: with no LLM configured, it picks a route for a visitor message by its nearest labelled
// examples (core/brain/routing-examples.ts). Called by the offline brain to choose a Hand, and by evals/routing.ts
// to measure it. Deterministic and pure: no I/O, no globals, built once per createOfflineRouter call.
//
// Each text is normalised (offline-router-text.ts), its unknown words repaired when one edit from a known one
// (offline-router-spelling.ts), and turned into two sparse TF-IDF vectors: stemmed word unigrams and bigrams (meaning)
// and character 3-4-grams inside words (robust to what typo repair misses). Similarity is a weighted sum of the two
// cosines. A route's score is the mean of its best k neighbours. "none" (small talk, other errands) is decided
// apart: a calibrated model over how near the in-scope and the "none" examples are and how many words no example
// uses (offline-scope.ts) says whether the message is out of scope; if not, the best in-scope route wins. A message
// it would refuse is kept for the help centre when the shop's own index (shop-index.ts, from its articles) holds it
// strongly. Safety hazards and payment disputes go to a person whatever their neighbours (handoff-classes.ts).
// Building takes some tens of milliseconds, so callers should build one router per isolate, not per request.

import { type HandoffClass, handoffClass } from "./handoff-classes.ts";
import { createSpeller } from "./offline-router-spelling.ts";
import {
  canonical,
  fillerWeight,
  isFiller,
  lexicon,
  mentionsCatalogue,
  normalise,
  stem,
} from "./offline-router-text.ts";
import { OUT_OF_SCOPE_THRESHOLD, outOfScopeProbability } from "./offline-scope.ts";
import { placeWords } from "./places.ts";
import { type RouteLabel, routeLabels } from "./route-label.ts";
import { type RoutingExample, routingExamples } from "./routing-examples.ts";
import { isShopQuestion, SHOP_MATCH, type ShopIndex } from "./shop-index.ts";

export type { RoutingExample } from "./routing-examples.ts";

export type Neighbour = { text: string; tool: RouteLabel; score: number };

export type RouteDecision = {
  tool: RouteLabel;
  /** The winning route's score in [0, 1]; for an out-of-scope "none" it is 1 minus the best in-scope similarity. */
  confidence: number;
  /** Closest examples first, for logs and debugging. */
  nearest: Neighbour[];
  /** What the out-of-scope decision is made from (see outOfScope). */
  signals: ScopeSignals;
  /** Why a person must take it, when the message is a safety hazard or a payment dispute. */
  handoff: HandoffClass | null;
};

/** How much a message is like the shop's examples, for deciding it is out of scope. */
export type ScopeSignals = {
  /** Similarity of the nearest in-scope example. */
  bestInScope: number;
  /** Mean of the best k similarities of the best in-scope route, and of "none". */
  inScope: number;
  none: number;
  /** Share of the message's non-filler words that no example uses (place names count as known). */
  unknown: number;
  catalogue: boolean;
  /** The best route other than "none". */
  inScopeTool: RouteLabel;
  /** The shop's help centre holds a message the model calls out of scope (shop-index.ts); false without an index. */
  shopQuestion: boolean;
};

export type OfflineRouterOptions = {
  /** Neighbours averaged per route; more smooths out one odd example. */
  k?: number;
  /** Share of the word vector in the similarity; the rest goes to character n-grams. */
  wordWeight?: number;
  /** How many neighbours a decision reports. */
  nearestCount?: number;
  /** The shop's help-centre vocabulary; without it scope is decided from the examples alone. */
  shop?: ShopIndex;
  /** The strong-match bar for the shop's index; SHOP_MATCH unless calibrating. */
  shopBar?: typeof SHOP_MATCH;
};

export type OfflineRouter = {
  route(message: string): RouteDecision;
  /**
   * The message with its typos repaired towards the shop's vocabulary (the examples' words and place names),
   * every other character as typed: "how lng do refnds tak" -> "how long do refunds take". For search queries.
   */
  repair(message: string): string;
};

const defaults = { k: 3, wordWeight: 0.55, nearestCount: 5 };

type Counts = Map<string, number>;

function add(counts: Counts, feature: string, amount: number): void {
  counts.set(feature, (counts.get(feature) ?? 0) + amount);
}

function weightOf(word: string): number {
  return isFiller(word) ? fillerWeight : 1;
}

function wordFeatures(words: readonly string[]): Counts {
  const counts: Counts = new Map();
  const stems = words.map(canonical);
  for (let i = 0; i < stems.length; i++) {
    const weight = weightOf(words[i] ?? "");
    add(counts, stems[i] ?? "", weight);
    // A bigram is only filler when both its words are: "to cancel" still says cancel.
    if (i > 0) add(counts, `${stems[i - 1]} ${stems[i]}`, Math.max(weight, weightOf(words[i - 1] ?? "")));
  }
  return counts;
}

function charFeatures(words: readonly string[]): Counts {
  const counts: Counts = new Map();
  for (const word of words) {
    const weight = weightOf(word);
    const padded = `<${word}>`;
    for (let n = 3; n <= 4; n++) {
      for (let i = 0; i + n <= padded.length; i++) add(counts, padded.slice(i, i + n), weight);
    }
  }
  return counts;
}

type SparseVector = { ids: Int32Array; weights: Float64Array };

/** TF-IDF space for one feature family, fitted on the examples. */
class Space {
  private readonly ids = new Map<string, number>();
  private readonly idf: Float64Array;
  private readonly unseenIdf: number;
  // Postings in compressed rows: the examples containing feature f, and their weights, sit at
  // [start[f], start[f + 1]). Flat typed arrays keep start-up quick and the index small.
  private readonly start: Int32Array;
  private readonly example: Int32Array;
  private readonly weight: Float32Array;

  constructor(documents: readonly Counts[]) {
    const df: number[] = [];
    for (const doc of documents) {
      for (const feature of doc.keys()) {
        let id = this.ids.get(feature);
        if (id === undefined) {
          id = this.ids.size;
          this.ids.set(feature, id);
          df.push(0);
        }
        df[id] = (df[id] ?? 0) + 1;
      }
    }
    const n = documents.length;
    this.idf = Float64Array.from(df, (d) => Math.log((n + 1) / (d + 1)) + 1);
    // Unknown words weigh like the rarest known ones: they make a message less like every example.
    this.unseenIdf = Math.log(n + 1) + 1;
    this.start = new Int32Array(df.length + 1);
    for (let f = 0; f < df.length; f++) this.start[f + 1] = (this.start[f] ?? 0) + (df[f] ?? 0);
    const total = this.start[df.length] ?? 0;
    this.example = new Int32Array(total);
    this.weight = new Float32Array(total);
    const fill = this.start.slice(0, df.length);
    documents.forEach((doc, e) => {
      const vector = this.vectorise(doc);
      for (let j = 0; j < vector.ids.length; j++) {
        const id = vector.ids[j] ?? -1;
        const at = fill[id] ?? 0;
        this.example[at] = e;
        this.weight[at] = vector.weights[j] ?? 0;
        fill[id] = at + 1;
      }
    });
  }

  /** Unit vector; unknown features get id -1 so they count in the norm but match nothing. */
  vectorise(counts: Counts): SparseVector {
    const ids = new Int32Array(counts.size);
    const weights = new Float64Array(counts.size);
    let norm = 0;
    let j = 0;
    for (const [feature, count] of counts) {
      const id = this.ids.get(feature) ?? -1;
      // Sublinear term frequency, so a word typed three times does not count three times as much.
      const tf = count <= 1 ? count : 1 + Math.log(count);
      const weight = tf * (id >= 0 ? (this.idf[id] ?? 0) : this.unseenIdf);
      ids[j] = id;
      weights[j] = weight;
      norm += weight * weight;
      j++;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] ?? 0) * scale;
    return { ids, weights };
  }

  /** Adds factor * cosine(query, example) into sims[example] for every example sharing a feature. */
  accumulate(query: SparseVector, factor: number, sims: Float64Array): void {
    for (let j = 0; j < query.ids.length; j++) {
      const id = query.ids[j] ?? -1;
      if (id < 0) continue;
      const q = (query.weights[j] ?? 0) * factor;
      const end = this.start[id + 1] ?? 0;
      for (let at = this.start[id] ?? 0; at < end; at++) {
        const e = this.example[at] ?? 0;
        sims[e] = (sims[e] ?? 0) + q * (this.weight[at] ?? 0);
      }
    }
  }
}

/**
 * Every place name becomes one word, as order numbers and emails do (offline-router-text.ts): which country a
 * shopper names says nothing about the route, and "delivery to Switzerland" should meet the examples' "shipments
 * to Germany" instead of being pushed away from all of them by a word no example uses.
 */
function withPlaceholders(words: string[]): string[] {
  return words.map((w) => (placeWords.has(w) ? "qplace" : w));
}

/**
 * Builds the index once; route() is then a few sparse dot products.
 *
 * @example
 * const router = createOfflineRouter();
 * router.route("where is my parcel? order FH-20931").tool; // "get_order"
 */
export function createOfflineRouter(
  examples: readonly RoutingExample[] = routingExamples,
  options: OfflineRouterOptions = {},
): OfflineRouter {
  const { k, wordWeight, nearestCount } = { ...defaults, ...options };
  const { shop, shopBar = SHOP_MATCH } = options;
  if (examples.length === 0) throw new Error("createOfflineRouter needs at least one example");
  const tokenised = examples.map((example) => withPlaceholders(normalise(example.text)));
  const frequencies = new Map<string, number>([...lexicon, ...placeWords].map((word) => [word, 0]));
  for (const word of tokenised.flat()) frequencies.set(word, (frequencies.get(word) ?? 0) + 1);
  const speller = createSpeller(frequencies);
  const known = new Set(tokenised.flat());
  const knownStems = new Set([...known].map(stem));
  const words = new Space(tokenised.map(wordFeatures));
  const chars = new Space(tokenised.map(charFeatures));

  function route(message: string): RouteDecision {
    const tokens = withPlaceholders(normalise(message, speller.correct));
    const sims = new Float64Array(examples.length);
    words.accumulate(words.vectorise(wordFeatures(tokens)), wordWeight, sims);
    chars.accumulate(chars.vectorise(charFeatures(tokens)), 1 - wordWeight, sims);

    // Best k similarities per route, kept sorted descending; ties keep example order so results are stable.
    const best = new Map<RouteLabel, number[]>(routeLabels.map((label) => [label, []]));
    const order: number[] = [];
    for (let i = 0; i < examples.length; i++) {
      const tool = examples[i]?.tool;
      const top = tool === undefined ? undefined : best.get(tool);
      if (top === undefined) continue;
      const sim = sims[i] ?? 0;
      if (sim > 0) order.push(i);
      if (top.length < k || sim > (top[top.length - 1] ?? 0)) {
        top.push(sim);
        top.sort((a, b) => b - a);
        if (top.length > k) top.pop();
      }
    }
    order.sort((a, b) => (sims[b] ?? 0) - (sims[a] ?? 0) || a - b);
    const nearest = order.slice(0, nearestCount).map((i) => ({
      text: examples[i]?.text ?? "",
      tool: examples[i]?.tool ?? "none",
      score: sims[i] ?? 0,
    }));

    let tool: RouteLabel = "none";
    let score = -1;
    let bestInScope = 0;
    let inScope = 0;
    let inScopeTool: RouteLabel = "search_kb";
    let noneScore = 0;
    for (const label of routeLabels) {
      const top = best.get(label) ?? [];
      const mean = top.length === 0 ? 0 : top.reduce((sum, s) => sum + s, 0) / k;
      if (mean > score) {
        tool = label;
        score = mean;
      }
      if (label !== "none") {
        bestInScope = Math.max(bestInScope, top[0] ?? 0);
        if (mean > inScope) {
          inScope = mean;
          inScopeTool = label;
        }
      } else noneScore = mean;
    }
    const content = tokens.filter((w) => !isFiller(w));
    const signals: ScopeSignals = {
      bestInScope,
      inScope,
      none: noneScore,
      unknown:
        content.length === 0
          ? 0
          : content.filter((w) => !known.has(w) && !placeWords.has(w)).length / content.length,
      catalogue: mentionsCatalogue(tokens),
      inScopeTool,
      shopQuestion: false,
    };
    const handoff = handoffClass(message);
    if (handoff) return { tool: "handoff_human", confidence: 1, nearest, signals, handoff };
    const outOfScope = outOfScopeProbability(signals);
    if (outOfScope > OUT_OF_SCOPE_THRESHOLD && !signals.catalogue) {
      // The help centre answers it, whichever route its nearest examples say.
      const shopQuestion = shop !== undefined && isShopQuestion(shop.match(message), knownStems, shopBar);
      const kept = { ...signals, shopQuestion };
      return shopQuestion
        ? { tool: "search_kb", confidence: bestInScope, nearest, signals: kept, handoff }
        : { tool: "none", confidence: outOfScope, nearest, signals: kept, handoff };
    }
    if (tool === "none") {
      tool = inScopeTool;
      score = inScope;
    }
    return { tool, confidence: Math.max(0, score), nearest, signals, handoff };
  }

  function repair(message: string): string {
    return message.replace(/[A-Za-z]+/g, (word) => {
      const lower = word.toLowerCase();
      const fixed = speller.correct(lower);
      return fixed === lower ? word : fixed;
    });
  }

  return { route, repair };
}
