/**
 * The `--embedder` flag of the Node tools (kb-loader's CLI, the retrieval and answer evals, `npm run bench` and
 * `bench:kb`), parsed and started in one place so every tool means the same by each value:
 *   local  the real offline model (scripts/local-embeddings.ts), served in this process on loopback
 *   fake   test-tools/fake-llm's deterministic embeddings (384-d, no meaning), for plumbing and speed runs
 *   env    whatever EMBEDDINGS_* in the environment say (lexical only when they say nothing)
 *   none   no embeddings: a lexical-only index
 * `settings` are the EMBEDDINGS_* values for the same provider, to hand to seedDemo and to the Worker
 * (`startWranglerDev({ vars })`), so the index and the queries are embedded by one model.
 */

import { type Embedder, noEmbedder } from "../core/retrieval/embedder.ts";
import { embedderFromSettings, embedderSettingsSchema } from "../core/retrieval/embedder-config.ts";
import { openAiEmbedder } from "../core/retrieval/openai-embedder.ts";
import { startFakeLlm } from "../test-tools/fake-llm/server.ts";
import { localEmbeddingSettings, startLocalEmbeddings } from "./local-embeddings.ts";

export const EMBEDDER_CHOICES = ["local", "fake", "env", "none"] as const;
export type EmbedderChoice = (typeof EMBEDDER_CHOICES)[number];
export const EMBEDDER_FLAG = `--embedder ${EMBEDDER_CHOICES.join("|")}`;

/** The keys a Worker reads for its embedder: the embedder settings schema is their one list. */
const SETTING_KEYS = embedderSettingsSchema.keyof().options;

/**
 * The flag's value, the tool's default when it is absent, or null when it names no choice (a usage error).
 * @example const choice = parseEmbedderChoice(values.embedder, "env"); // "local" | "fake" | "env" | "none" | null
 */
export function parseEmbedderChoice(
  raw: string | undefined,
  fallback: EmbedderChoice,
): EmbedderChoice | null {
  const value = raw ?? fallback;
  return EMBEDDER_CHOICES.find((c) => c === value) ?? null;
}

export interface Embeddings {
  choice: EmbedderChoice;
  /** For this process's own loads and searches. */
  embedder: Embedder;
  /** EMBEDDINGS_* for seedDemo and the Worker's vars: the same provider as `embedder`. */
  settings: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts what the choice needs (the local model's server, the fake server) and stops it on `close()`.
 * @example const embeddings = await startEmbeddings("local"); try { … } finally { await embeddings.close(); }
 */
export async function startEmbeddings(
  choice: EmbedderChoice,
  env: Record<string, string | undefined> = process.env,
): Promise<Embeddings> {
  if (choice === "local") {
    const local = await startLocalEmbeddings();
    const settings = localEmbeddingSettings(local);
    return {
      choice,
      settings,
      embedder: openAiEmbedder({
        baseURL: local.url,
        apiKey: "local",
        model: local.model,
        dimensions: local.dimensions,
        sendDimensions: false,
        batchSize: Number(settings.EMBEDDINGS_BATCH_SIZE),
        // Whole chunks on a shared CPU: each batch well inside a generous timeout.
        timeoutMs: 120_000,
      }),
      close: () => local.close(),
    };
  }
  if (choice === "fake") {
    const fake = await startFakeLlm({ latencyMs: 0 });
    const settings = {
      EMBEDDINGS_BASE_URL: fake.url,
      EMBEDDINGS_MODEL: "fake-embedding",
      EMBEDDINGS_API_KEY: "fake",
      EMBEDDINGS_DIMENSIONS: "384",
    };
    return { choice, settings, embedder: embedderFromSettings(settings), close: () => fake.close() };
  }
  if (choice === "none") {
    // Empty values override an endpoint that the Worker's .dev.vars or the shell might name.
    const settings = { EMBEDDINGS_BASE_URL: "", EMBEDDINGS_MODEL: "" };
    return { choice, settings, embedder: noEmbedder, close: async () => {} };
  }
  const settings: Record<string, string> = {};
  for (const key of SETTING_KEYS) {
    const value = env[key];
    if (value !== undefined) settings[key] = value;
  }
  return { choice, settings, embedder: embedderFromSettings(settings), close: async () => {} };
}
