/**
 * Embeddings from any OpenAI-compatible /v1/embeddings endpoint (OpenAI, Workers AI's compatible API, Ollama,
 * vLLM, the fake server in tests) through the official `openai` client. Used by kb-loader for chunks and by the
 * search port for queries. Batches inputs, retries transient failures with exponential backoff and checks every
 * vector's width before it reaches the database.
 */
import OpenAI from "openai";
import { batches, checkVectors, type Embedder } from "./embedder.ts";

export interface OpenAiEmbedderConfig {
  baseURL: string;
  apiKey: string;
  model: string;
  /** Width of the vectors; must match the kb_chunks.embedding column. */
  dimensions: number;
  /**
   * Send `dimensions` in the request (text-embedding-3-* can shorten its vectors). Models with a fixed width,
   * such as bge-small, reject the parameter on some servers: turn it off for them.
   */
  sendDimensions?: boolean;
  /** Inputs per request; OpenAI accepts up to 2048. */
  batchSize?: number;
  /** Attempts after the first for 408/409/429/5xx and connection errors. */
  retries?: number;
  /** First backoff; it doubles on every retry. */
  backoffMs?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** For tests: a pre-built client. */
  client?: OpenAI;
}

export function openAiEmbedder(config: OpenAiEmbedderConfig): Embedder {
  // The SDK's own retries are off: ours back off the same way but respect the caller's signal between attempts.
  const client =
    config.client ??
    new OpenAI({
      baseURL: config.baseURL,
      apiKey: config.apiKey,
      maxRetries: 0,
      timeout: config.timeoutMs ?? 30_000,
    });
  const batchSize = config.batchSize ?? 64;
  const retries = config.retries ?? 4;
  const backoffMs = config.backoffMs ?? 250;
  const sendDimensions = config.sendDimensions ?? true;

  async function embedBatch(input: string[], signal?: AbortSignal): Promise<number[][]> {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await client.embeddings.create(
          {
            model: config.model,
            input,
            ...(sendDimensions ? { dimensions: config.dimensions } : {}),
          },
          { signal },
        );
        const ordered = [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
        checkVectors(ordered, input.length, config.dimensions, config.model);
        return ordered;
      } catch (error) {
        if (attempt >= retries || !isTransient(error) || signal?.aborted) throw error;
        await sleep(retryDelay(error, backoffMs * 2 ** attempt), signal);
      }
    }
  }

  return {
    model: config.model,
    dimensions: config.dimensions,
    async embed(texts, signal) {
      const out: number[][] = [];
      for (const batch of batches(texts, batchSize)) out.push(...(await embedBatch(batch, signal)));
      return out;
    },
  };
}

function isTransient(error: unknown): boolean {
  if (error instanceof OpenAI.APIUserAbortError) return false;
  if (error instanceof OpenAI.APIConnectionError) return true;
  if (error instanceof OpenAI.APIError && typeof error.status === "number") {
    return error.status === 408 || error.status === 409 || error.status === 429 || error.status >= 500;
  }
  return false;
}

/** A server's Retry-After wins over our own schedule, within reason (at most 30 s). */
function retryDelay(error: unknown, fallbackMs: number): number {
  if (error instanceof OpenAI.APIError && error.headers) {
    const ms = Number(error.headers.get("retry-after-ms"));
    if (Number.isFinite(ms) && ms > 0) return Math.min(ms, 30_000);
    const seconds = Number(error.headers.get("retry-after"));
    if (Number.isFinite(seconds) && seconds > 0) return Math.min(seconds * 1000, 30_000);
  }
  return fallbackMs;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
