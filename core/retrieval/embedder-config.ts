/**
 * Chooses the embedding provider from settings: EMBEDDINGS_BASE_URL + EMBEDDINGS_MODEL give the OpenAI-compatible
 * embedder, nothing gives the lexical-only index. Called by kb-loader's CLI, the retrieval eval and the bench with
 * process.env, and usable by the Worker with its env (it takes a plain object, never reads globals).
 */
import { z } from "zod";
import type { EmbeddingsConfig } from "../config.ts";
import { type Embedder, noEmbedder } from "./embedder.ts";
import { openAiEmbedder } from "./openai-embedder.ts";
import { type AiBinding, workersAiEmbedder } from "./workers-ai-embedder.ts";

/** 384 dimensions, like the kb_chunks.embedding column. */
const WORKERS_AI_DEFAULT_MODEL = "@cf/baai/bge-small-en-v1.5";

/** Matches kb_chunks.embedding (db/schema.ts EMBEDDING_DIMENSIONS); core may not import db/. */
const DEFAULT_DIMENSIONS = 384;

const optionalText = z
  .string()
  .optional()
  .transform((s) => (s?.trim() ? s.trim() : null));

function optionalNumber(fallback: number, min: number, max: number) {
  return optionalText
    .transform((s) => (s === null ? fallback : Number(s)))
    .pipe(z.number().int().min(min).max(max));
}

export const embedderSettingsSchema = z.object({
  /** openai: any OpenAI-compatible /v1/embeddings; workers-ai: the Worker's AI binding (Worker side only). */
  EMBEDDINGS_PROVIDER: z.enum(["openai", "workers-ai"]).optional(),
  EMBEDDINGS_BASE_URL: optionalText.pipe(z.url().nullable()),
  EMBEDDINGS_MODEL: optionalText,
  // Local servers (Ollama, the fake server) need no key, but the SDK refuses an empty one.
  EMBEDDINGS_API_KEY: optionalText.transform((s) => s ?? "not-needed"),
  EMBEDDINGS_DIMENSIONS: optionalNumber(DEFAULT_DIMENSIONS, 1, 8192),
  EMBEDDINGS_SEND_DIMENSIONS: optionalText.transform((s) => s !== "false" && s !== "0"),
  EMBEDDINGS_BATCH_SIZE: optionalNumber(64, 1, 2048),
});

export type EmbedderSettings = z.infer<typeof embedderSettingsSchema>;

/**
 * @example const embedder = embedderFromSettings(process.env); // noEmbedder when nothing is configured
 * @param ai the Workers AI binding, when the caller is a Worker that has one
 */
export function embedderFromSettings(raw: Record<string, string | undefined>, ai?: AiBinding): Embedder {
  const settings = embedderSettingsSchema.parse(raw);
  if (settings.EMBEDDINGS_PROVIDER === "workers-ai") {
    if (!ai) throw new Error("EMBEDDINGS_PROVIDER=workers-ai needs the AI binding in wrangler.jsonc");
    return workersAiEmbedder(
      ai,
      settings.EMBEDDINGS_MODEL ?? WORKERS_AI_DEFAULT_MODEL,
      settings.EMBEDDINGS_DIMENSIONS,
    );
  }
  if (!settings.EMBEDDINGS_BASE_URL && !settings.EMBEDDINGS_MODEL) return noEmbedder;
  if (!settings.EMBEDDINGS_BASE_URL || !settings.EMBEDDINGS_MODEL) {
    throw new Error("set both EMBEDDINGS_BASE_URL and EMBEDDINGS_MODEL, or neither for a lexical-only index");
  }
  return openAiEmbedder({
    baseURL: settings.EMBEDDINGS_BASE_URL,
    apiKey: settings.EMBEDDINGS_API_KEY,
    model: settings.EMBEDDINGS_MODEL,
    dimensions: settings.EMBEDDINGS_DIMENSIONS,
    sendDimensions: settings.EMBEDDINGS_SEND_DIMENSIONS,
    batchSize: settings.EMBEDDINGS_BATCH_SIZE,
  });
}

/** The embedder for settings already parsed by core/config.ts (the Worker's way in). */
export function embedderFromConfig(config: EmbeddingsConfig, ai?: AiBinding): Embedder {
  if (config.provider === "none") return noEmbedder;
  if (config.provider === "workers-ai") {
    if (!ai) return noEmbedder;
    return workersAiEmbedder(ai, config.model, config.dimensions);
  }
  return openAiEmbedder(config);
}
