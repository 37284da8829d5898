import { eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noEmbedder } from "../core/retrieval/embedder.ts";
import { openAiEmbedder } from "../core/retrieval/openai-embedder.ts";
import { loadKnowledge } from "../kb-loader/load-knowledge.ts";
import { type FakeLlm, startFakeLlm } from "../test-tools/fake-llm/server.ts";
import { type DbHandle, openDb } from "./client.ts";
import { kbFreshness } from "./kb-freshness.ts";
import { backfillEmbeddings } from "./kb-index.ts";
import { visitorPassages } from "./kb-passages.ts";
import { type LocalPostgres, startLocalPostgres } from "./local-postgres.ts";
import { migrateDatabase } from "./migrate.ts";
import { kbChunks, kbSources } from "./schema.ts";

const records = [
  {
    id: "kb-a",
    title: "Refunds",
    url: "https://help.fernhill.example/a",
    text: "Refunds take 5-10 business days after we check your return.",
  },
  {
    id: "kb-b",
    title: "Shipping",
    url: "https://help.fernhill.example/b",
    text: "Standard delivery in Germany takes 1-3 business days.",
  },
];

describe("knowledge-base freshness and index maintenance", () => {
  let pg: LocalPostgres;
  let handle: DbHandle;
  let fake: FakeLlm;
  beforeAll(async () => {
    pg = await startLocalPostgres();
    await migrateDatabase(pg.url);
    handle = openDb(pg.url);
    fake = await startFakeLlm();
  });
  afterAll(async () => {
    await handle.close();
    await pg.stop();
    await fake.close();
  });

  it("switches search_kb off while the index is empty, on once loaded, and off again when stale", async () => {
    const empty = await kbFreshness(handle.db, 24);
    expect(empty).toMatchObject({
      available: false,
      searchableChunks: 0,
      reason: "the help centre index is empty",
    });

    await loadKnowledge({
      db: handle.db,
      source: { kind: "records", name: "test-records", records },
      embedder: noEmbedder,
    });
    const fresh = await kbFreshness(handle.db, 24);
    expect(fresh).toMatchObject({ available: true, reason: null, searchableChunks: 2 });
    expect(fresh.sources).toEqual([
      expect.objectContaining({
        id: expect.stringContaining("test-records"),
        chunkCount: 2,
        stale: false,
        embeddingModel: null,
      }),
    ]);

    const twoDaysLater = new Date(Date.now() + 48 * 3_600_000);
    const stale = await kbFreshness(handle.db, 24, twoDaysLater);
    expect(stale).toMatchObject({
      available: false,
      reason: "the help centre was last loaded more than 24 hours ago",
    });
    expect(await kbFreshness(handle.db, 0, twoDaysLater)).toMatchObject({ available: true });
  });

  it("embeds the chunks of a lexical-only index once embeddings are switched on, and records the model", async () => {
    const embedder = openAiEmbedder({ baseURL: fake.url, apiKey: "k", model: "fake-embed", dimensions: 384 });
    const before = fake.stats({ model: "fake-embed" }).embeddingInputs;
    const first = await backfillEmbeddings(handle.db, embedder, { limit: 1, batchSize: 1 });
    expect(first).toEqual({ embedded: 1, remaining: 1, skipped: null });
    const second = await backfillEmbeddings(handle.db, embedder, { limit: 10, batchSize: 8 });
    expect(second).toEqual({ embedded: 1, remaining: 0, skipped: null });
    expect(fake.stats({ model: "fake-embed" }).embeddingInputs - before).toBe(2);
    const [missing] = await handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(kbChunks)
      .where(isNull(kbChunks.embedding));
    expect(missing?.n).toBe(0);
    const [source] = await handle.db.select().from(kbSources);
    expect(source?.embeddingModel).toBe("fake-embed");
    // Another model would mix vector spaces: the rebuild refuses and says why.
    const other = openAiEmbedder({ baseURL: fake.url, apiKey: "k", model: "other-embed", dimensions: 384 });
    await handle.db.update(kbChunks).set({ embedding: null }).where(eq(kbChunks.docId, "kb-a"));
    expect(await backfillEmbeddings(handle.db, other, { limit: 10, batchSize: 8 })).toMatchObject({
      embedded: 0,
      skipped: expect.stringContaining("fake-embed"),
    });
  });

  it("gives the offline router only passages a visitor may be served: reviewed, English, web or email", async () => {
    const url = "https://help.fernhill.example/v";
    await loadKnowledge({
      db: handle.db,
      source: {
        kind: "records",
        name: "visitor-passages",
        records: [
          { id: "kb-care", title: "Caring for merino", url, text: "Dry merino flat." },
          { id: "kb-mail", title: "Email only", url, text: "Answered by email.", allowed_channels: "email" },
          {
            id: "kb-staff",
            title: "Staff escalation",
            url,
            text: "Tag the on-call lead.",
            allowed_channels: "slack",
          },
          { id: "kb-draft", title: "Draft article", url, text: "Not yet published.", reviewed: false },
          {
            id: "kb-care.es",
            title: "Cuidado de la lana merino",
            url,
            text: "Seca la lana merino en plano.",
            language: "es",
            translation_of: "kb-care",
          },
        ],
      },
      embedder: noEmbedder,
    });
    const titles = (await visitorPassages(handle.db)).map((p) => p.title);
    expect(titles).toEqual(expect.arrayContaining(["Caring for merino", "Email only"]));
    for (const hidden of ["Staff escalation", "Draft article", "Cuidado de la lana merino"])
      expect(titles).not.toContain(hidden);
    expect(await visitorPassages(handle.db, 1)).toHaveLength(1);
    expect((await visitorPassages(handle.db)).find((p) => p.title === "Caring for merino")?.text).toContain(
      "Dry merino flat.",
    );
  });
});
