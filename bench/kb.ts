/**
 * Knowledge-base benchmark: generates synthetic chunks (100,000 by default), bulk-loads them into a local PGlite +
 * pgvector database with the indexes dropped, builds the GIN and HNSW indexes afterwards (inserting into a live
 * HNSW index costs about 6 ms a row in WASM), then measures search latency through the product's hybrid search
 * (db/kb-search.ts) over the wire protocol, as the Worker would query it. Prints load throughput, index build
 * times, query p50/p95 per mode and peak memory. Run on demand, never as a timed test.
 * Text comes from a Zipf-distributed synthetic vocabulary mixed with shop-support words. Vectors come from
 * `--embedder` (scripts/embedder-choice.ts): fake (the default) is test-tools/fake-llm's deterministic function
 * computed in this process, so query latency is database time; local, env and fake-over-HTTP's real calls are
 * timed apart (`query_embedding_ms`); none loads no vectors and measures lexical search only. The local model
 * embeds about 4 synthetic chunks (of up to 800 tokens) a second on this machine: use it with --chunks 200 or so.
 *   npm run bench:kb [-- --chunks 100000 --queries 300 --embedder fake|local|env|none --json]
 */
import "../scripts/launcher.ts";
import { parseArgs } from "node:util";
import { type Embedder, isLexicalOnly } from "../core/retrieval/embedder.ts";
import { openDb } from "../db/client.ts";
import { ensureEmbeddingWidth } from "../db/embedding-width.ts";
import { refreshLexicalStats } from "../db/kb-index.ts";
import { hybridKbSearch, type SearchMode } from "../db/kb-search.ts";
import { startLocalPostgres } from "../db/local-postgres.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { percentiles } from "../evals/retrieval-metrics.ts";
import { EMBEDDER_FLAG, parseEmbedderChoice, startEmbeddings } from "../scripts/embedder-choice.ts";
import { embedText } from "../test-tools/fake-llm/embeddings.ts";
import { syntheticCorpus } from "./synthetic-corpus.ts";

const { values } = parseArgs({
  options: {
    chunks: { type: "string", default: "100000" },
    queries: { type: "string", default: "300" },
    json: { type: "boolean", default: false },
    embedder: { type: "string" },
  },
});
const choice = parseEmbedderChoice(values.embedder, "fake");
if (!choice) {
  process.stderr.write(`usage: bench:kb -- [--chunks N] [--queries N] [${EMBEDDER_FLAG}] [--json]\n`);
  process.exit(2);
}
const chunkCount = Number(values.chunks);
const queryCount = Number(values.queries);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

const inProcessEmbedder: Embedder = {
  model: "fake-embedding (in-process)",
  dimensions: 384,
  async embed(texts) {
    return texts.map((t) => Array.from(embedText(t, 384)));
  },
};

// The default computes the fake server's vectors here; every other choice makes the calls the Worker would.
const embeddings = choice === "fake" ? null : await startEmbeddings(choice);
const chosen = embeddings?.embedder ?? inProcessEmbedder;
const lexicalOnly = isLexicalOnly(chosen);
/** Time spent in query embedding calls, per query, apart from database time. */
const queryEmbeddingMs: number[] = [];
const timedEmbedder: Embedder = {
  model: chosen.model,
  dimensions: chosen.dimensions,
  async embed(texts, signal) {
    const t0 = performance.now();
    const vectors = await chosen.embed(texts, signal);
    queryEmbeddingMs.push(performance.now() - t0);
    return vectors;
  },
};

const log = (line: string) => process.stderr.write(`${line}\n`);
const pg = await startLocalPostgres();
const handle = openDb(pg.url, { max: 1 });
const figures: Record<string, unknown> = {
  chunks: chunkCount,
  embedder: lexicalOnly ? "none (lexical only)" : `${choice}: ${chosen.model} (${chosen.dimensions}-d)`,
};
try {
  await migrateDatabase(pg.url);
  if (!lexicalOnly) await ensureEmbeddingWidth(handle.db, chosen.dimensions);
  const corpus = syntheticCorpus(chunkCount, 20260101);

  // Bulk load with both indexes dropped; they are rebuilt below exactly as the migration defines them.
  await pg.db.exec("drop index kb_chunks_embedding_idx; drop index kb_chunks_tsv_idx;");
  const loadStarted = performance.now();
  const docs = [...new Set(corpus.chunks.map((c) => c.docId))];
  for (let i = 0; i < docs.length; i += 2000) {
    const ids = docs.slice(i, i + 2000);
    await pg.db.query(
      `insert into kb_docs (id, source_id, title, url, allowed_channels, reviewed, content_hash)
       select id, 'bench', 'Synthetic document ' || id, 'https://bench.example/' || id, '{web,slack,email}', true, 'x'
       from unnest($1::text[]) as id`,
      [ids],
    );
  }
  const batch = 500;
  let embedMs = 0;
  for (let i = 0; i < corpus.chunks.length; i += batch) {
    const rows = corpus.chunks.slice(i, i + batch);
    const embedStarted = performance.now();
    const vectors = lexicalOnly
      ? rows.map(() => null)
      : (await chosen.embed(rows.map((r) => `${r.title}\n${r.section}\n\n${r.body}`))).map(
          (v) => `[${v.join(",")}]`,
        );
    embedMs += performance.now() - embedStarted;
    await pg.db.query(
      `insert into kb_chunks (id, doc_id, ordinal, title, section_path, body, url, allowed_channels, reviewed,
         token_count, content_hash, embedding)
       select r.id, r.doc_id, r.ordinal, r.title, r.section, r.body, 'https://bench.example/' || r.doc_id,
         case when r.ordinal % 10 = 9 then '{slack}'::text[] else '{web,slack,email}'::text[] end, true,
         r.tokens, r.id, r.embedding::vector
       from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[])
         as r(id, doc_id, ordinal, title, section, body, tokens, embedding)`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.docId),
        rows.map((r) => r.ordinal),
        rows.map((r) => r.title),
        rows.map((r) => r.section),
        rows.map((r) => r.body),
        rows.map((r) => r.tokens),
        vectors,
      ],
    );
    if ((i / batch) % 20 === 0) log(`loaded ${i + rows.length} / ${corpus.chunks.length}`);
  }
  const loadMs = performance.now() - loadStarted;
  figures.load = {
    seconds: round(loadMs / 1000),
    chunks_per_second: Math.round(chunkCount / (loadMs / 1000)),
    // The fake vectors are computed in this process; the other choices wait for their embedding API.
    of_which_computing_embeddings_seconds: round(embedMs / 1000),
    insert_chunks_per_second: Math.round(chunkCount / ((loadMs - embedMs) / 1000)),
  };
  log(`load: ${JSON.stringify(figures.load)}`);

  let started = performance.now();
  await pg.db.exec("create index kb_chunks_tsv_idx on kb_chunks using gin (tsv);");
  const ginSeconds = round((performance.now() - started) / 1000);
  log(`gin index: ${ginSeconds} s`);
  started = performance.now();
  // An in-memory graph build needs room for every vector; the default 64 MB would spill to a much slower path.
  await pg.db.exec(`set maintenance_work_mem = '1GB';
    create index kb_chunks_embedding_idx on kb_chunks using hnsw (embedding vector_cosine_ops);`);
  const hnswSeconds = round((performance.now() - started) / 1000);
  log(`hnsw index: ${hnswSeconds} s`);
  started = performance.now();
  await refreshLexicalStats(handle.db);
  await pg.db.exec("analyze kb_chunks; analyze kb_terms;");
  const statsSeconds = round((performance.now() - started) / 1000);
  figures.index_build_seconds = {
    gin: ginSeconds,
    hnsw: hnswSeconds,
    lexical_stats_and_analyze: statsSeconds,
  };

  const queries = corpus.queries(queryCount + 20);
  const latency: Record<string, { p50: number; p95: number; mean_hits: number }> = {};
  const modes: SearchMode[] = lexicalOnly ? ["lexical"] : ["hybrid", "lexical", "vector"];
  for (const mode of modes) {
    const search = hybridKbSearch(handle.db, { embedder: timedEmbedder, mode });
    const samples: number[] = [];
    let hits = 0;
    for (const [index, query] of queries.entries()) {
      const t0 = performance.now();
      const found = await search.search(query, {
        topK: 3,
        channel: "web",
        signal: AbortSignal.timeout(10_000),
      });
      // The first 20 queries warm caches and plans; they are not counted.
      if (index >= 20) {
        samples.push(performance.now() - t0);
        hits += found.length;
      }
    }
    latency[mode] = { ...percentiles(samples), mean_hits: round(hits / samples.length) };
    // Each mode that embeds makes one call per query; the warm-up queries' calls are left out.
    if (mode === "hybrid" && embeddings) figures.query_embedding_ms = percentiles(queryEmbeddingMs.slice(20));
    log(`${mode}: ${JSON.stringify(latency[mode])}`);
  }
  figures.query_ms = latency;
  figures.query_note = `topK 3 over TCP (db/pglite-server.ts), ${embeddings ? "each query's embedding call included (query_embedding_ms)" : "embedding computed in-process"}; 20 warm-up queries excluded`;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  figures.peak_rss_mb = Math.round(peakRss / 2 ** 20);
  figures.target_hybrid_p95_le_50ms = (latency.hybrid?.p95 ?? Number.POSITIVE_INFINITY) <= 50;
} finally {
  clearInterval(sampler);
  await handle.close();
  await pg.stop();
  await embeddings?.close();
}

if (values.json) console.log(JSON.stringify(figures, null, 2));
else for (const [key, value] of Object.entries(figures)) console.log(`${key}: ${JSON.stringify(value)}`);

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
