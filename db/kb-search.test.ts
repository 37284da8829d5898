import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Language } from "../core/contracts/language.ts";
import type { Channel } from "../core/contracts/thread.ts";
import { type Embedder, noEmbedder } from "../core/retrieval/embedder.ts";
import { openAiEmbedder } from "../core/retrieval/openai-embedder.ts";
import { fusionOrderReranker } from "../core/retrieval/reranker.ts";
import { loadKnowledge } from "../kb-loader/load-knowledge.ts";
import { startTestDatabase, type TestDatabase } from "../kb-loader/test-database.ts";
import { type FakeLlm, startFakeLlm } from "../test-tools/fake-llm/server.ts";
import { hybridKbSearch, kbIndexStatus } from "./kb-search.ts";

let database: TestDatabase;
let fake: FakeLlm;
let embedder: Embedder;

const doc = (id: string, title: string, text: string, extra: Record<string, unknown> = {}) => ({
  id,
  title,
  url: `https://help.example/${id}`,
  text,
  section: "Help",
  allowed_channels: ["web", "slack", "email"],
  reviewed: true,
  ...extra,
});

const records = [
  doc(
    "returns",
    "Returns policy",
    "You can return unworn items within 30 days for a full refund. Print the label.",
  ),
  doc(
    "refund-timing",
    "How long do refunds take?",
    "Refunds reach your card within 5 working days after we receive the parcel.",
  ),
  doc(
    "boots",
    "Boot sizing",
    "Hiking boots run small: order half a size up. Measure your feet in the evening.",
  ),
  doc(
    "stoves",
    "Camping stoves",
    "Gas canisters ship only within Germany and Austria because of carrier rules.",
  ),
  doc(
    "staff-escalation",
    "Refund escalation (staff)",
    "Escalate refund disputes above 500 euros to the finance team.",
    {
      allowed_channels: ["slack"],
    },
  ),
  doc("draft-refunds", "New refund rules (draft)", "Refunds will take 3 days from next year.", {
    reviewed: false,
  }),
  doc(
    "refund-timing.es",
    "¿Cuánto tardan los reembolsos?",
    "Los reembolsos llegan a tu tarjeta en 5 días hábiles después de recibir el paquete.",
    { language: "es", translation_of: "refund-timing" },
  ),
  doc(
    "returns.de",
    "Rückgabebedingungen",
    "Du kannst ungetragene Artikel innerhalb von 30 Tagen gegen volle Erstattung zurückgeben.",
    { language: "de", translation_of: "returns" },
  ),
  doc(
    "refund-timing.fr",
    "Délais de remboursement (brouillon)",
    "Les remboursements arrivent sous 5 jours.",
    {
      language: "fr",
      translation_of: "refund-timing",
      reviewed: false,
    },
  ),
];

beforeAll(async () => {
  [database, fake] = await Promise.all([startTestDatabase(), startFakeLlm({ latencyMs: 0 })]);
  embedder = openAiEmbedder({
    baseURL: fake.url,
    apiKey: "test",
    model: "fake-embedding-search",
    dimensions: 384,
  });
  await loadKnowledge({
    db: database.db,
    source: { kind: "records", name: "search-test", records },
    embedder,
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([database.stop(), fake.close()]);
});

const search = (
  kb: ReturnType<typeof hybridKbSearch>,
  query: string,
  channel: Channel = "web",
  topK = 8,
  language: Language = "en",
) => kb.search(query, { topK, channel, language, signal: AbortSignal.timeout(10_000) });

describe("hybridKbSearch in the visitor's language", () => {
  it("shows English visitors the originals only, never a translation", async () => {
    const kb = hybridKbSearch(database.db, { embedder });
    const hits = await search(kb, "how long do refunds take reembolsos rückgabe");
    expect(hits.length).toBeGreaterThan(0);
    expect(new Set(hits.map((h) => h.language))).toEqual(new Set(["en"]));
    expect(hits.map((h) => h.url).filter((u) => /\.(?:es|de|fr)$/.test(u))).toEqual([]);
  });

  it("gives an article's translation in the visitor's language, under the article's id and its own URL", async () => {
    const kb = hybridKbSearch(database.db, { embedder: noEmbedder });
    const [top, ...rest] = await search(kb, "¿Cuánto tardan los reembolsos?", "web", 8, "es");
    expect(top).toMatchObject({
      docId: "refund-timing",
      language: "es",
      url: "https://help.example/refund-timing.es",
    });
    // Spanish stemming: "reembolsos" in the question, "reembolsos" and "tardan" in the page.
    expect(top?.scores.lexical).toBeGreaterThan(0);
    expect(rest.map((h) => h.docId)).not.toContain("refund-timing");
  });

  it("shows an article found through its original in the visitor's language, once", async () => {
    const kb = hybridKbSearch(database.db, { embedder });
    const hits = await search(kb, "how long do refunds take", "web", 8, "es");
    expect(hits[0]).toMatchObject({
      docId: "refund-timing",
      language: "es",
      url: "https://help.example/refund-timing.es",
    });
    expect(hits.filter((h) => h.docId === "refund-timing")).toHaveLength(1);
  });

  it("falls back to the original for articles without a version in the visitor's language", async () => {
    const kb = hybridKbSearch(database.db, { embedder: noEmbedder });
    const hits = await search(kb, "returns 30 days full refund", "web", 8, "es");
    expect(hits[0]).toMatchObject({ docId: "returns", language: "en" });
    // The German translation of the returns page is no Spanish visitor's answer.
    expect(
      (await search(kb, "Artikel zurückgeben Erstattung", "web", 8, "es")).map((h) => h.language),
    ).not.toContain("de");
    expect((await search(kb, "Artikel zurückgeben Erstattung", "web", 8, "de"))[0]).toMatchObject({
      docId: "returns",
      language: "de",
    });
  });

  it("keeps the original when the translation is an unreviewed draft", async () => {
    const kb = hybridKbSearch(database.db, { embedder: noEmbedder });
    const hits = await search(kb, "remboursements refunds take", "web", 8, "fr");
    expect(hits.find((h) => h.docId === "refund-timing")).toMatchObject({ language: "en" });
    expect(hits.map((h) => h.language)).not.toContain("fr");
  });
});

describe("hybridKbSearch", () => {
  it("fuses the lexical and the vector scores, each relative to its list's best, in one statement", async () => {
    const kb = hybridKbSearch(database.db, { embedder, reranker: fusionOrderReranker });
    const hits = await search(kb, "how long do refunds take");
    expect(hits[0]?.docId).toBe("refund-timing");
    // The top hit is first in both lists, so its scores are each list's best.
    expect(hits[0]?.scores).toMatchObject({ lexicalRank: 1, vectorRank: 1, fused: 1 });
    const best = { lexical: hits[0]?.scores.lexical ?? 0, vector: hits[0]?.scores.vector ?? 0 };
    for (const hit of hits) {
      const expected =
        0.8 * ((hit.scores.lexical ?? 0) / best.lexical) + 0.2 * ((hit.scores.vector ?? 0) / best.vector);
      expect(hit.scores.fused).toBeCloseTo(expected, 10);
    }
    const fused = hits.map((h) => h.scores.fused);
    expect(fused).toEqual([...fused].sort((a, b) => b - a));
    expect(hits[0]).toMatchObject({
      title: "How long do refunds take?",
      // No heading in the passage: the document's section stands in.
      section: "Help",
      url: "https://help.example/refund-timing",
    });
    expect(hits[0]?.chunkId).toMatch(/^refund-timing#/);
    expect(hits[0]?.snippet).toContain("5 working days");
  });

  it("keeps passages that only one ranking found", async () => {
    const kb = hybridKbSearch(database.db, { embedder, reranker: fusionOrderReranker });
    // Misspelt: no lexeme matches, but the embedding's character trigrams still do.
    const hits = await search(kb, "refundz");
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.scores.lexicalRank === null && h.scores.vectorRank !== null)).toBe(true);
    const lexicalOnly = hybridKbSearch(database.db, { embedder: noEmbedder });
    expect(await search(lexicalOnly, "refundz")).toEqual([]);
  });

  it("filters by channel and never returns unreviewed content", async () => {
    const kb = hybridKbSearch(database.db, { embedder });
    const web = await search(kb, "refund escalation disputes");
    expect(web.map((h) => h.docId)).not.toContain("staff-escalation");
    const slack = await search(kb, "refund escalation disputes", "slack");
    expect(slack[0]?.docId).toBe("staff-escalation");
    for (const channel of ["web", "slack", "email"] as const) {
      const hits = await search(kb, "new refund rules draft 3 days next year", channel);
      expect(hits.map((h) => h.docId)).not.toContain("draft-refunds");
    }
  });

  it("works lexical-only without an embedder and cuts to topK through the reranker", async () => {
    const kb = hybridKbSearch(database.db, { embedder: noEmbedder });
    expect(kb.mode).toBe("lexical");
    const hits = await search(kb, "boots size", "web", 1);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ docId: "boots", scores: { vector: null, vectorRank: null } });
    // Synonyms from the support thesaurus: "reimbursement" finds the refund articles.
    const synonyms = await search(kb, "reimbursement");
    expect(synonyms.map((h) => h.docId)).toContain("refund-timing");
  });

  it("masks PII in the query before it is embedded", async () => {
    const seen: string[] = [];
    const recording: Embedder = {
      model: embedder.model,
      dimensions: embedder.dimensions,
      embed: (texts, signal) => {
        seen.push(...texts);
        return embedder.embed(texts, signal);
      },
    };
    const kb = hybridKbSearch(database.db, { embedder: recording });
    await search(kb, "refund to jane.doe@example.com card 4111 1111 1111 1111");
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toContain("jane.doe");
    expect(seen[0]).not.toContain("4111");
    expect(seen[0]).toContain("[EMAIL]");
  });

  it("reports the index's size and freshness", async () => {
    const status = await kbIndexStatus(database.db);
    // Five reviewed originals and two reviewed translations (the French draft is not searchable).
    expect(status.chunks).toBe(7);
    expect(status.sources).toHaveLength(1);
    expect(status.sources[0]).toMatchObject({ id: "search-test", embeddingModel: "fake-embedding-search" });
    expect(status.lastLoadedAt).toBeInstanceOf(Date);
  });
});
