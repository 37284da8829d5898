// Deterministic embeddings for the fake LLM, so retrieval tests and evals behave like a (weak) real model:
// texts that share words score high cosine similarity, unrelated texts score near zero, and the same text
// always maps to the same vector. Features are normalised, lightly stemmed words plus their character
// trigrams (which soften typos and inflections), feature-hashed with a sign bit into `dimensions` buckets
// and L2-normalised. Used by server.ts for POST /v1/embeddings.

import { z } from "zod";

export const DEFAULT_DIMENSIONS = 384;

export const embeddingRequestSchema = z.looseObject({
  model: z.string().min(1),
  // Like api.openai.com, empty strings and empty batches are rejected: they usually mean a chunking bug.
  input: z.union([
    z.string().min(1),
    z.array(z.string().min(1)).min(1).max(2048),
    z.array(z.number().int()).min(1),
    z.array(z.array(z.number().int()).min(1)).min(1).max(2048),
  ]),
  dimensions: z.number().int().min(1).max(4096).optional(),
  encoding_format: z.enum(["float", "base64"]).optional(),
  user: z.string().optional(),
});

export type EmbeddingRequest = z.infer<typeof embeddingRequestSchema>;

/** Token-array inputs are embedded as words like `t123`, which keeps them deterministic. */
export function embeddingInputs(request: EmbeddingRequest): string[] {
  const { input } = request;
  if (typeof input === "string") return [input];
  if (input.length === 0) return [];
  const [first] = input;
  if (typeof first === "string") return input as string[];
  if (typeof first === "number") return [(input as number[]).map((token) => `t${token}`).join(" ")];
  return (input as number[][]).map((tokens) => tokens.map((token) => `t${token}`).join(" "));
}

// Function words would make every pair of sentences look related; they carry no retrieval signal.
const STOPWORDS = new Set(
  (
    "a an and are as at be but by can do does for from had has have how i if in into is it its me my no not of " +
    "on or our so than that the their them then there these they this to was we were what when where which who " +
    "why will with you your"
  ).split(" "),
);

const NO_UNDOUBLE = new Set(["l", "s", "z"]);

/** A deliberately small stemmer: enough that "refunds", "refunded" and "refunding" all become "refund". */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) w = w.slice(0, -1);

  let stripped = false;
  if (w.endsWith("ing") && w.length - 3 >= 3) {
    w = w.slice(0, -3);
    stripped = true;
  } else if (w.endsWith("ed") && !w.endsWith("eed") && w.length - 2 >= 3) {
    w = w.slice(0, -2);
    stripped = true;
  }
  if (stripped) {
    const last = w.at(-1) ?? "";
    if (last === w.at(-2) && !NO_UNDOUBLE.has(last) && !"aeiou".includes(last)) w = w.slice(0, -1);
  }
  if (w.endsWith("ly") && w.length > 4) w = w.slice(0, -2);
  // Dropping a final "e" makes "charge"/"charged" and "price"/"prices" meet.
  if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1);
  return w;
}

export function normalisedWords(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "");
}

// FNV-1a, then murmur3's finaliser: FNV alone mixes its low bits poorly, and `% dimensions` and the sign
// bit need well-mixed, mutually independent hashes, or unrelated words collide with the same sign.
function hash32(text: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

const WORD_WEIGHT = 1;
// The trigram block of one word has about half the norm of the word itself, so shared words still dominate.
const TRIGRAM_BLOCK_WEIGHT = 0.5;

function addFeature(vector: Float64Array, feature: string, weight: number): void {
  const bucket = hash32(feature, 0) % vector.length;
  // An independent sign hash makes collisions cancel on average instead of inflating unrelated similarity.
  const sign = (hash32(feature, 0x9747b28c) & 1) === 0 ? 1 : -1;
  vector[bucket] = (vector[bucket] ?? 0) + sign * weight;
}

export function embedText(text: string, dimensions: number = DEFAULT_DIMENSIONS): Float32Array {
  const vector = new Float64Array(dimensions);
  const words = normalisedWords(text);
  const content = words.filter((word) => !STOPWORDS.has(word));
  // A text made only of function words still needs a distinctive vector.
  const features = (content.length > 0 ? content : words).map(stem);

  for (const word of features) {
    addFeature(vector, `w:${word}`, WORD_WEIGHT);
    const padded = `^${word}$`;
    const trigramCount = Math.max(1, padded.length - 2);
    const weight = TRIGRAM_BLOCK_WEIGHT / Math.sqrt(trigramCount);
    for (let i = 0; i + 3 <= padded.length; i++) addFeature(vector, `t:${padded.slice(i, i + 3)}`, weight);
  }
  // Punctuation-only or empty-after-normalisation text: hash the raw string so the vector is never all zero.
  if (features.length === 0) addFeature(vector, `raw:${text}`, 1);

  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  const out = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) out[i] = norm === 0 ? 0 : (vector[i] ?? 0) / norm;
  return out;
}

/** The SDK decodes base64 as a little-endian Float32Array, so that is exactly what goes on the wire. */
export function toBase64(vector: Float32Array): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => {
    bytes.writeFloatLE(value, i * 4);
  });
  return bytes.toString("base64");
}

export function embeddingResponseBody(request: EmbeddingRequest, inputs: string[]): Record<string, unknown> {
  const dimensions = request.dimensions ?? DEFAULT_DIMENSIONS;
  const base64 = request.encoding_format === "base64";
  const tokens = inputs.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)), 0);
  return {
    object: "list",
    model: request.model,
    data: inputs.map((text, index) => {
      const vector = embedText(text, dimensions);
      return { object: "embedding", index, embedding: base64 ? toBase64(vector) : Array.from(vector) };
    }),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
