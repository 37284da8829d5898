/**
 * The one embedding-provider interface. kb-loader embeds chunks through it, and the search port embeds queries
 * through the same provider, so documents and queries always live in the same vector space. Implementations: an
 * OpenAI-compatible endpoint (openai-embedder.ts), the Workers AI binding (Worker side), and `noEmbedder` for a
 * lexical-only index. Pure: no env, no globals, so the Worker can use it.
 */

export interface Embedder {
  /** Recorded with each load in kb_sources.embedding_model; null means lexical only. */
  readonly model: string | null;
  readonly dimensions: number;
  /** One vector per text, in input order. Implementations batch and retry internally. */
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

/** No embedding provider: the index is lexical only and says so (embedding_model null), and retrieval still works. */
export const noEmbedder: Embedder = {
  model: null,
  dimensions: 0,
  async embed(texts) {
    if (texts.length > 0) throw new Error("noEmbedder cannot embed: the index is lexical only");
    return [];
  },
};

export function isLexicalOnly(embedder: Embedder): boolean {
  return embedder.model === null;
}

/**
 * Rejects vectors of the wrong width or with non-finite values before they reach a `vector(N)` column, where the
 * database error would name neither the model nor the cause.
 */
export function checkVectors(vectors: number[][], expected: number, dimensions: number, model: string): void {
  if (vectors.length !== expected) {
    throw new Error(`embedding model ${model} returned ${vectors.length} vectors for ${expected} inputs`);
  }
  for (const vector of vectors) {
    if (vector.length !== dimensions) {
      throw new Error(
        `embedding model ${model} returned ${vector.length} dimensions, expected ${dimensions}`,
      );
    }
    if (!vector.every(Number.isFinite))
      throw new Error(`embedding model ${model} returned a non-finite value`);
  }
}

/** Splits inputs into batches of at most `size`, keeping order. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
