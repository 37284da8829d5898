import { mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { noEmbedder } from "../core/retrieval/embedder.ts";
import { openAiEmbedder } from "../core/retrieval/openai-embedder.ts";
import { kbChunks, kbDocs, kbSources } from "../db/schema.ts";
import { type FakeLlm, startFakeLlm } from "../test-tools/fake-llm/server.ts";
import { loadKnowledge } from "./load-knowledge.ts";
import { startTestDatabase, type TestDatabase } from "./test-database.ts";

const MODEL = "fake-embedding-load-test";
let database: TestDatabase;
let fake: FakeLlm;
let dir: string;

const article = (id: string, body: string, extra: Record<string, string> = {}) =>
  [
    "---",
    `id: ${id}`,
    `title: Article ${id}`,
    "section: Help",
    `url: https://help.example/articles/${id}`,
    "updated_at: 2026-08-05",
    "allowed_channels: web, slack, email",
    ...Object.entries(extra).map(([k, v]) => `${k}: ${v}`),
    "---",
    body,
  ].join("\n");

const longBody = (topic: string) =>
  Array.from({ length: 45 }, (_, i) => `Line ${i} about ${topic} and how the shop handles it.`).join(" ");

beforeAll(async () => {
  [database, fake] = await Promise.all([startTestDatabase(), startFakeLlm({ latencyMs: 0 })]);
  dir = await mkdtemp(join(tmpdir(), "kb-load-"));
}, 60_000);

afterAll(async () => {
  await Promise.all([database.stop(), fake.close(), rm(dir, { recursive: true, force: true })]);
});

beforeEach(async () => {
  await database.db.execute(sql`truncate kb_chunks, kb_docs, kb_sources, kb_terms, kb_stats`);
  for (const name of ["a.md", "b.md", "c.md", "broken.md", "draft.md", "a-es.md"])
    await unlink(join(dir, name)).catch(() => {});
});

function embedder(batchSize = 16) {
  return openAiEmbedder({
    baseURL: fake.url,
    apiKey: "test",
    model: MODEL,
    dimensions: 384,
    batchSize,
    retries: 0,
  });
}

const calls = () => fake.stats({ model: MODEL }).embeddingCalls;
const source = () => ({ kind: "folder" as const, path: dir });

describe("loadKnowledge", () => {
  it("embeds every chunk on the first load and nothing on an identical second load", async () => {
    await writeFile(join(dir, "a.md"), article("a", `## Returns\n${longBody("returns")}`));
    await writeFile(join(dir, "b.md"), article("b", "## Refunds\nRefunds take five days."));
    const before = calls();
    const first = await loadKnowledge({ db: database.db, source: source(), embedder: embedder() });
    expect(first.documents).toMatchObject({ added: 2, updated: 0, unchanged: 0, removed: 0, skipped: 0 });
    expect(first.chunks.embedded).toBe(first.chunks.total);
    expect(first.chunks.total).toBe(2);
    expect(calls() - before).toBe(first.embeddingCalls);

    const again = calls();
    const second = await loadKnowledge({ db: database.db, source: source(), embedder: embedder() });
    expect(second.documents).toMatchObject({ added: 0, updated: 0, unchanged: 2 });
    expect(second.embeddingCalls).toBe(0);
    expect(second.chunks.embedded).toBe(0);
    expect(calls()).toBe(again);

    const [row] = await database.db.select().from(kbSources);
    expect(row).toMatchObject({
      kind: "folder",
      embeddingModel: MODEL,
      docCount: 2,
      chunkCount: first.chunks.total,
    });
    expect(row?.lastLoadedAt).toBeInstanceOf(Date);
  });

  it("re-embeds only the chunks whose text changed", async () => {
    const sections = ["Returns", "Exchanges", "Warranty"].map((s) => `## ${s}\n${longBody(s)}`);
    await writeFile(join(dir, "a.md"), article("a", sections.join("\n")));
    const first = await loadKnowledge({ db: database.db, source: source(), embedder: embedder() });
    expect(first.chunks.total).toBe(3);
    await writeFile(
      join(dir, "a.md"),
      article("a", [sections[0], sections[1], `## Warranty\n${longBody("repairs")}`].join("\n")),
    );
    const before = calls();
    const second = await loadKnowledge({ db: database.db, source: source(), embedder: embedder() });
    expect(second.documents).toMatchObject({ updated: 1, unchanged: 0 });
    expect(second.chunks).toMatchObject({ total: 3, written: 3, embedded: 1 });
    expect(calls() - before).toBe(1);
    const missing = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from kb_chunks where embedding is null`,
    );
    expect(Number(missing[0]?.n)).toBe(0);
  });

  it("prunes documents gone from the source, with their chunks", async () => {
    await writeFile(join(dir, "a.md"), article("a", "## A\nAlpha text."));
    await writeFile(join(dir, "b.md"), article("b", "## B\nBeta text."));
    await loadKnowledge({ db: database.db, source: source(), embedder: noEmbedder });
    await unlink(join(dir, "b.md"));
    const kept = await loadKnowledge({ db: database.db, source: source(), embedder: noEmbedder });
    expect(kept.documents.removed).toBe(0);
    expect(await docIds()).toEqual(["a", "b"]);
    const pruned = await loadKnowledge({
      db: database.db,
      source: source(),
      embedder: noEmbedder,
      prune: true,
    });
    expect(pruned.prune).toBe("done");
    expect(pruned.documents).toMatchObject({ removed: 1, unchanged: 1 });
    expect(await docIds()).toEqual(["a"]);
    const chunkDocs = await database.db.selectDistinct({ docId: kbChunks.docId }).from(kbChunks);
    expect(chunkDocs.map((c) => c.docId)).toEqual(["a"]);
  });

  it("skips a bad file by name and loses nothing already indexed, even with --prune", async () => {
    await writeFile(join(dir, "a.md"), article("a", "## A\nAlpha text."));
    await writeFile(join(dir, "b.md"), article("b", "## B\nBeta text."));
    await loadKnowledge({ db: database.db, source: source(), embedder: noEmbedder });
    // b.md breaks (an unknown channel); it is still indexed from the previous load.
    await writeFile(join(dir, "b.md"), article("b", "## B\nBeta text v2.", { reviewed: "maybe" }));
    await writeFile(join(dir, "broken.md"), "---\nid: broken\n---\nno title, no url");
    const summary = await loadKnowledge({
      db: database.db,
      source: source(),
      embedder: noEmbedder,
      prune: true,
    });
    expect(summary.issues.map((i) => i.location).sort()).toEqual(["b.md", "broken.md"]);
    expect(summary.issues.find((i) => i.location === "b.md")?.line).toBe(8);
    expect(summary.documents).toMatchObject({ skipped: 2, unchanged: 1, removed: 0 });
    expect(summary.prune).toBe("skipped");
    expect(await docIds()).toEqual(["a", "b"]);
  });

  it("indexes drafts as not searchable and without vectors; lexical-only sources record no model", async () => {
    await writeFile(join(dir, "draft.md"), article("draft", "## Draft\nNot yet.", { reviewed: "false" }));
    const lexical = await loadKnowledge({ db: database.db, source: source(), embedder: noEmbedder });
    expect(lexical.embeddingModel).toBeNull();
    const [sourceRow] = await database.db.select().from(kbSources);
    expect(sourceRow?.embeddingModel).toBeNull();
    const [doc] = await database.db.select().from(kbDocs);
    expect(doc?.reviewed).toBe(false);

    // Switching to an embedder re-processes the source, but drafts are still not embedded.
    const embedded = await loadKnowledge({ db: database.db, source: source(), embedder: embedder() });
    expect(embedded.chunks.embedded).toBe(0);
    const stats = await database.db.execute<{ n: number }>(sql`select chunk_count as n from kb_stats`);
    expect(Number(stats[0]?.n)).toBe(0);
  });

  it("stores a translation's language and article on its document and chunks, stemmed in its own language", async () => {
    await writeFile(join(dir, "a.md"), article("a", "## Refunds\nRefunds take five days."));
    await writeFile(
      join(dir, "a-es.md"),
      article("a.es", "## Reembolsos\nLos reembolsos tardan cinco días.", {
        language: "es",
        translation_of: "a",
      }),
    );
    await loadKnowledge({ db: database.db, source: source(), embedder: noEmbedder });
    const docs = await database.db
      .select({ id: kbDocs.id, language: kbDocs.language, translationOf: kbDocs.translationOf })
      .from(kbDocs)
      .orderBy(kbDocs.id);
    expect(docs).toEqual([
      { id: "a", language: "en", translationOf: null },
      { id: "a.es", language: "es", translationOf: "a" },
    ]);
    const chunks = await database.db.execute<{
      doc_id: string;
      language: string;
      translation_of: string | null;
    }>(sql`select doc_id, language, translation_of from kb_chunks order by doc_id`);
    expect(chunks.map((c) => [c.doc_id, c.language, c.translation_of])).toEqual([
      ["a", "en", null],
      ["a.es", "es", "a"],
    ]);
    // Spanish stemming: the visitor's "reembolso" finds the page's "reembolsos", and Spanish stop words are gone.
    const found = await database.db.execute<{ doc_id: string; stop: boolean }>(
      sql`select doc_id, tsv @@ to_tsquery('spanish', 'los') as stop from kb_chunks
          where tsv @@ plainto_tsquery('spanish', 'reembolso tardar')`,
    );
    expect(found.map((r) => [r.doc_id, r.stop])).toEqual([["a.es", false]]);
  });

  it("refuses documents on hosts replies may not link to, and strips control characters from the text", async () => {
    await writeFile(join(dir, "a.md"), article("a", "## A\nAlpha\u000b text\u0007 with cafe\u0301."));
    await writeFile(
      join(dir, "b.md"),
      article("b", "## B\nBeta text.").replace("https://help.example/", "https://evil.example/"),
    );
    const summary = await loadKnowledge({
      db: database.db,
      source: source(),
      embedder: noEmbedder,
      allowedLinkHosts: ["help.example"],
    });
    expect(summary.issues).toEqual([
      {
        location: "b",
        line: null,
        message: expect.stringContaining("evil.example is not in ALLOWED_LINK_HOSTS"),
      },
    ]);
    expect(await docIds()).toEqual(["a"]);
    const [chunk] = await database.db.select({ body: kbChunks.body }).from(kbChunks);
    expect(chunk?.body).toContain("Alpha text with caf\u00e9.");
  });
});

async function docIds(): Promise<string[]> {
  const rows = await database.db.select({ id: kbDocs.id }).from(kbDocs).orderBy(kbDocs.id);
  return rows.map((r) => r.id);
}
