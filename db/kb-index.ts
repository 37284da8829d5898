/**
 * Maintenance of the knowledge-base index, in SQL over any Postgres with pgvector: the corpus statistics
 * lexical ranking needs, and vectors for chunks that have none yet (after embeddings were switched on, or a
 * load that could not reach the provider). Run by kb-loader after every load and by the rebuild_kb_index
 * queue consumer (admin endpoint, daily cron).
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Embedder } from "../core/retrieval/embedder.ts";
import { embeddingText } from "../core/retrieval/embedding-text.ts";
import type { Database } from "./client.ts";
import { kbChunks, kbSources } from "./schema.ts";

/**
 * Rebuilds kb_terms (in how many searchable chunks each lexeme occurs) and kb_stats (their number and mean
 * length) for BM25-style ranking in db/kb-search.ts. One statement pass over the table: seconds at 100k chunks.
 */
export async function refreshLexicalStats(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from kb_terms`);
    await tx.execute(sql`
      insert into kb_terms (lexeme, chunk_count)
      select word, ndoc from ts_stat('select tsv from kb_chunks where reviewed')`);
    await tx.execute(sql`
      insert into kb_stats (id, chunk_count, avg_tokens, refreshed_at)
      select 'kb', count(*)::int, coalesce(avg(token_count), 0), now() from kb_chunks where reviewed
      on conflict (id) do update set chunk_count = excluded.chunk_count, avg_tokens = excluded.avg_tokens,
        refreshed_at = excluded.refreshed_at`);
  });
}

/**
 * Embeds up to `limit` reviewed chunks without a vector, in batches, with the embedder every source of the
 * index was loaded with (a different model would mix vector spaces). Returns how many it embedded and how many
 * are still missing, so the caller can continue in another message.
 */
export async function backfillEmbeddings(
  db: Database,
  embedder: Embedder,
  options: { limit: number; batchSize: number; signal?: AbortSignal },
): Promise<{ embedded: number; remaining: number; skipped: string | null }> {
  if (embedder.model === null)
    return { embedded: 0, remaining: 0, skipped: "no embedding provider configured" };
  const models = await db.selectDistinct({ model: kbSources.embeddingModel }).from(kbSources);
  const other = models.map((m) => m.model).filter((m) => m !== null && m !== embedder.model);
  if (other.length > 0) {
    return {
      embedded: 0,
      remaining: 0,
      skipped: `the index was loaded with ${other.join(", ")}; reload it with kb-loader`,
    };
  }
  const missing = and(eq(kbChunks.reviewed, true), isNull(kbChunks.embedding));
  const rows = await db
    .select({
      id: kbChunks.id,
      title: kbChunks.title,
      sectionPath: kbChunks.sectionPath,
      body: kbChunks.body,
    })
    .from(kbChunks)
    .where(missing)
    .orderBy(kbChunks.id)
    .limit(options.limit);
  let embedded = 0;
  for (let i = 0; i < rows.length; i += options.batchSize) {
    const batch = rows.slice(i, i + options.batchSize);
    const vectors = await embedder.embed(
      batch.map((r) => embeddingText(r.title, r.sectionPath, r.body)),
      options.signal,
    );
    const rowsJson = JSON.stringify(
      batch.map((r, j) => ({ id: r.id, e: `[${(vectors[j] ?? []).join(",")}]` })),
    );
    // One statement per batch: the vectors travel as one JSON parameter and are cast on the server.
    await db.execute(sql`
      update kb_chunks set embedding = v.e::vector
      from jsonb_to_recordset(${rowsJson}::jsonb) as v(id text, e text)
      where kb_chunks.id = v.id`);
    embedded += batch.length;
  }
  const [left] = await db.select({ n: sql<number>`count(*)::int` }).from(kbChunks).where(missing);
  const remaining = Number(left?.n ?? 0);
  if (remaining === 0 && embedded > 0) {
    await db
      .update(kbSources)
      .set({ embeddingModel: embedder.model })
      .where(isNull(kbSources.embeddingModel));
  }
  return { embedded, remaining, skipped: null };
}
