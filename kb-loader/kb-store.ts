/**
 * kb-loader's reads and writes: what is indexed already (document and chunk hashes), one document with its
 * chunks written in one transaction, pruning, the kb_sources record, and the corpus statistics lexical ranking
 * needs. Works on any Postgres with pgvector through drizzle. Called by load-knowledge.ts and the bench.
 */
import { and, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { kbChunks, kbDocs, kbSources } from "../db/schema.ts";
import type { KbRecord } from "./kb-record.ts";
import type { SourceIdentity } from "./source.ts";

export interface StoredDoc {
  sourceId: string;
  contentHash: string;
}

export interface StoredChunk {
  id: string;
  contentHash: string;
  embedded: boolean;
}

export interface ChunkRow {
  id: string;
  ordinal: number;
  sectionPath: string;
  body: string;
  tokenCount: number;
  contentHash: string;
}

export async function storedDocs(db: Database, ids: string[]): Promise<Map<string, StoredDoc>> {
  const out = new Map<string, StoredDoc>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db
      .select({ id: kbDocs.id, sourceId: kbDocs.sourceId, contentHash: kbDocs.contentHash })
      .from(kbDocs)
      .where(inArray(kbDocs.id, ids.slice(i, i + 1000)));
    for (const row of rows) out.set(row.id, { sourceId: row.sourceId, contentHash: row.contentHash });
  }
  return out;
}

export async function storedChunks(db: Database, docId: string): Promise<StoredChunk[]> {
  return db
    .select({
      id: kbChunks.id,
      contentHash: kbChunks.contentHash,
      embedded: sql<boolean>`${kbChunks.embedding} is not null`,
    })
    .from(kbChunks)
    .where(eq(kbChunks.docId, docId));
}

/** Documents among `ids` with searchable chunks that have no vector yet (loaded before an embedder was set). */
export async function pendingVectors(db: Database, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ docId: kbChunks.docId })
    .from(kbChunks)
    .where(and(inArray(kbChunks.docId, ids), eq(kbChunks.reviewed, true), isNull(kbChunks.embedding)));
  return new Set(rows.map((r) => r.docId));
}

/** The embedding model of the source's last load: a different model now means every vector must be redone. */
export async function previousModel(db: Database, sourceId: string): Promise<string | null | undefined> {
  const [row] = await db
    .select({ model: kbSources.embeddingModel })
    .from(kbSources)
    .where(eq(kbSources.id, sourceId));
  return row ? row.model : undefined;
}

/**
 * Writes one document and its chunks atomically: the document row, new chunks, metadata of kept chunks and
 * their new vectors, and the removal of chunks the document no longer has. `vectors` holds only chunks that
 * were (re-)embedded; a kept chunk without an entry keeps its vector, unless `clearVectors` says the model changed.
 */
export async function writeDoc(
  db: Database,
  source: SourceIdentity,
  record: KbRecord,
  docHash: string,
  chunks: ChunkRow[],
  vectors: Map<string, number[]>,
  clearVectors: boolean,
): Promise<void> {
  await db.transaction(async (tx) => {
    const doc = {
      sourceId: source.id,
      title: record.title,
      url: record.url,
      section: record.section,
      allowedChannels: record.allowed_channels,
      reviewed: record.reviewed,
      contentHash: docHash,
      updatedAt: record.updated_at,
      loadedAt: new Date(),
      language: record.language,
      translationOf: record.translation_of,
    };
    await tx
      .insert(kbDocs)
      .values({ id: record.id, ...doc })
      .onConflictDoUpdate({ target: kbDocs.id, set: doc });
    const keep = chunks.map((c) => c.id);
    await tx
      .delete(kbChunks)
      .where(
        keep.length > 0
          ? and(eq(kbChunks.docId, record.id), notInArray(kbChunks.id, keep))
          : eq(kbChunks.docId, record.id),
      );
    if (chunks.length === 0) return;
    const rows = chunks.map((chunk) => ({
      id: chunk.id,
      docId: record.id,
      ordinal: chunk.ordinal,
      title: record.title,
      sectionPath: chunk.sectionPath,
      body: chunk.body,
      url: record.url,
      allowedChannels: record.allowed_channels,
      reviewed: record.reviewed,
      tokenCount: chunk.tokenCount,
      contentHash: chunk.contentHash,
      language: record.language,
      translationOf: record.translation_of,
      embedding: vectors.get(chunk.id) ?? null,
    }));
    const excluded = (column: string) => sql.raw(`excluded.${column}`);
    // Postgres takes at most 65,535 parameters per statement: 500 rows of 14 columns stay well below.
    for (let i = 0; i < rows.length; i += 500) {
      await tx
        .insert(kbChunks)
        .values(rows.slice(i, i + 500))
        .onConflictDoUpdate({
          target: kbChunks.id,
          set: {
            ordinal: excluded("ordinal"),
            title: excluded("title"),
            sectionPath: excluded("section_path"),
            body: excluded("body"),
            url: excluded("url"),
            allowedChannels: excluded("allowed_channels"),
            reviewed: excluded("reviewed"),
            tokenCount: excluded("token_count"),
            contentHash: excluded("content_hash"),
            language: excluded("language"),
            translationOf: excluded("translation_of"),
            // A kept chunk keeps its vector unless it was re-embedded now or the model changed.
            embedding: clearVectors
              ? excluded("embedding")
              : sql`coalesce(excluded.embedding, ${kbChunks.embedding})`,
          },
        });
    }
  });
}

/** Removes the source's documents that the source no longer has; their chunks go with them (on delete cascade). */
export async function pruneSource(db: Database, sourceId: string, keepIds: string[]): Promise<number> {
  const keep = new Set(keepIds);
  const stored = await db.select({ id: kbDocs.id }).from(kbDocs).where(eq(kbDocs.sourceId, sourceId));
  const gone = stored.map((d) => d.id).filter((id) => !keep.has(id));
  for (let i = 0; i < gone.length; i += 1000) {
    await db.delete(kbDocs).where(inArray(kbDocs.id, gone.slice(i, i + 1000)));
  }
  return gone.length;
}

export async function recordSource(
  db: Database,
  source: SourceIdentity,
  model: string | null,
  loadedAt: Date,
): Promise<{ docCount: number; chunkCount: number }> {
  const [counts] = await db
    .select({
      docCount: sql<number>`(select count(*)::int from ${kbDocs} where ${kbDocs.sourceId} = ${source.id})`,
      chunkCount: sql<number>`(select count(*)::int from ${kbChunks} c join ${kbDocs} d on d.id = c.doc_id where d.source_id = ${source.id})`,
    })
    .from(sql`(select 1) as one`);
  const docCount = Number(counts?.docCount ?? 0);
  const chunkCount = Number(counts?.chunkCount ?? 0);
  const row = {
    kind: source.kind,
    location: source.location,
    embeddingModel: model,
    docCount,
    chunkCount,
    lastLoadedAt: loadedAt,
  };
  await db
    .insert(kbSources)
    .values({ id: source.id, ...row })
    .onConflictDoUpdate({ target: kbSources.id, set: row });
  return { docCount, chunkCount };
}
