/**
 * The kb_chunks.embedding column's width follows the configured embedding model (512 for the local Universal
 * Sentence Encoder, 384 for bge-small, 1536 for text-embedding-3-small). kb-loader calls `ensureEmbeddingWidth`
 * before it embeds: when the column has another width, every stored vector belongs to another model, so the
 * column is retyped with all vectors cleared (and its HNSW index rebuilt), and the load re-embeds every chunk.
 * Migrations create vector(384); this is the one place that changes it.
 */
import { sql } from "drizzle-orm";
import type { Database } from "./client.ts";

/** The column's declared width, or null when it has none (a bare `vector`). */
export async function embeddingWidth(db: Database): Promise<number | null> {
  const rows = await db.execute<{ width: number }>(sql`
    select atttypmod as width from pg_attribute
    where attrelid = 'kb_chunks'::regclass and attname = 'embedding' and not attisdropped`);
  const width = Number(rows[0]?.width ?? -1);
  return width > 0 ? width : null;
}

/** Returns true when the column was retyped (and every vector cleared). */
export async function ensureEmbeddingWidth(db: Database, dimensions: number): Promise<boolean> {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 2000) {
    throw new Error(
      `embedding width ${dimensions} is not a valid vector width (pgvector's HNSW index takes at most 2,000)`,
    );
  }
  if ((await embeddingWidth(db)) === dimensions) return false;
  await db.transaction(async (tx) => {
    await tx.execute(sql`drop index if exists kb_chunks_embedding_idx`);
    await tx.execute(
      sql.raw(`alter table kb_chunks alter column embedding type vector(${dimensions}) using null`),
    );
    // Built on the empty column: the load then inserts into the index (TOOLCHAIN.md: about 6 ms a row in PGlite).
    await tx.execute(
      sql`create index kb_chunks_embedding_idx on kb_chunks using hnsw (embedding vector_cosine_ops)`,
    );
  });
  return true;
}
