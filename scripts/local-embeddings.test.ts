/**
 * The real offline model behind its OpenAI-compatible endpoint (loaded once for this file), reached by the
 * official openai client through openAiEmbedder, and a kb-loader run with it into PGlite: the vector column
 * takes the model's width (512), every chunk is embedded, and vector-only search finds articles by meaning.
 */
import { sql } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Embedder } from "../core/retrieval/embedder.ts";
import { embedderFromSettings } from "../core/retrieval/embedder-config.ts";
import { openAiEmbedder } from "../core/retrieval/openai-embedder.ts";
import { embeddingWidth } from "../db/embedding-width.ts";
import { hybridKbSearch } from "../db/kb-search.ts";
import { loadKnowledge } from "../kb-loader/load-knowledge.ts";
import { startTestDatabase, type TestDatabase } from "../kb-loader/test-database.ts";
import {
  type LocalEmbeddings,
  localEmbeddingSettings,
  startLocalEmbeddings,
  wantsLocalEmbeddings,
} from "./local-embeddings.ts";

let local: LocalEmbeddings;
let database: TestDatabase;
let embedder: Embedder;

const record = (id: string, title: string, text: string) => ({
  id,
  title,
  url: `https://help.example/articles/${id}`,
  text,
  section: "Help",
  updatedAt: "2026-08-05",
  allowedChannels: ["web" as const],
  reviewed: true,
});

beforeAll(async () => {
  [local, database] = await Promise.all([startLocalEmbeddings(), startTestDatabase()]);
  embedder = openAiEmbedder({
    baseURL: local.url,
    apiKey: "local",
    model: local.model,
    dimensions: local.dimensions,
    sendDimensions: false,
  });
}, 120_000);

afterAll(async () => {
  await Promise.all([local?.close(), database?.stop()]);
});

const cosine = (a: number[], b: number[]) =>
  a.reduce((s, v, i) => s + v * (b[i] ?? 0), 0) / (Math.hypot(...a) * Math.hypot(...b));

describe("local embeddings endpoint", () => {
  it("answers the OpenAI embeddings API with 512-d vectors that place paraphrases together", async () => {
    const client = new OpenAI({ baseURL: local.url, apiKey: "local", maxRetries: 0 });
    const floats = await client.embeddings.create({
      model: local.model,
      input: ["How long do refunds take?", "When will I get my money back?", "Are the boots waterproof?"],
      encoding_format: "float",
    });
    const [refund, money, boots] = floats.data.map((d) => d.embedding);
    expect(floats.data.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(refund).toHaveLength(512);
    expect(cosine(refund ?? [], money ?? [])).toBeGreaterThan(cosine(refund ?? [], boots ?? []) + 0.1);
    // The SDK's default (base64 float32) decodes to the same vector.
    const base64 = await client.embeddings.create({ model: local.model, input: "How long do refunds take?" });
    const decoded = base64.data[0]?.embedding ?? [];
    expect(decoded).toHaveLength(512);
    expect(cosine(decoded, refund ?? [])).toBeGreaterThan(0.9999);
  });

  it("refuses a request it cannot serve with a 400, not a vector of another width", async () => {
    const response = await fetch(`${local.url}/embeddings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: local.model, input: ["x"], dimensions: 384 }),
    });
    expect(response.status).toBe(400);
  });
});

describe("kb-loader with the local model", () => {
  it("retypes the 384-d column to the model's 512, embeds every chunk and finds articles by meaning", async () => {
    expect(await embeddingWidth(database.db)).toBe(384);
    const summary = await loadKnowledge({
      db: database.db,
      source: {
        kind: "records",
        name: "local-embeddings-test",
        records: [
          record("refund-timing", "Refund timing", "Refunds reach your card within 5-10 business days."),
          record("boot-care", "Caring for leather boots", "Clean leather boots with a soft brush and wax."),
          record("gift-cards", "Gift cards", "Gift cards never expire and can be used online."),
        ],
      },
      embedder,
    });
    expect(summary.chunks.embedded).toBeGreaterThanOrEqual(3);
    expect(await embeddingWidth(database.db)).toBe(512);
    const [missing] = await database.db.execute<{ n: number | string }>(
      sql`select count(*) as n from kb_chunks where embedding is null`,
    );
    expect(Number(missing?.n)).toBe(0);
    const vectorOnly = hybridKbSearch(database.db, { embedder, mode: "vector", thesaurus: null });
    // No word in common with the article: only the vectors can find it.
    const hits = await vectorOnly.search("when do I get my money back", {
      topK: 1,
      channel: "web",
      signal: AbortSignal.timeout(30_000),
    });
    expect(hits[0]?.docId).toBe("refund-timing");
  }, 60_000);

  it("gives launchers settings that kb-loader's provider choice reads, unless another provider is named", async () => {
    const fromSettings = embedderFromSettings(localEmbeddingSettings(local));
    expect(fromSettings).toMatchObject({ model: local.model, dimensions: 512 });
    const [vector] = await fromSettings.embed(["Do you ship to Australia?"]);
    expect(vector).toHaveLength(512);
    expect(wantsLocalEmbeddings({})).toBe(true);
    expect(wantsLocalEmbeddings({ EMBEDDINGS: "none" })).toBe(false);
    expect(wantsLocalEmbeddings({ EMBEDDINGS_BASE_URL: "https://api.openai.com/v1" })).toBe(false);
    expect(wantsLocalEmbeddings({ EMBEDDINGS_PROVIDER: "workers-ai" })).toBe(false);
    expect(wantsLocalEmbeddings({}, "LLM_MODEL=x\nEMBEDDINGS_BASE_URL=https://api.openai.com/v1\n")).toBe(
      false,
    );
    // An empty or commented-out key in .dev.vars names nothing.
    expect(wantsLocalEmbeddings({}, "EMBEDDINGS_BASE_URL=\n# EMBEDDINGS_PROVIDER=workers-ai\n")).toBe(true);
  });
});
