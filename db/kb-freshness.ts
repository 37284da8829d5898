/**
 * How fresh the knowledge base is: per source, when it was last loaded and what it holds, and for the index as
 * a whole whether search_kb may run. An empty index, or one whose newest load is older than the configured age,
 * switches search_kb off so knowledge questions go to a person instead of to outdated answers. Read by the
 * Thread Durable Object (cached briefly) and by the admin endpoints.
 */
import { sql } from "drizzle-orm";
import type { Database } from "./client.ts";
import { guarded } from "./db-error.ts";
import { kbSources } from "./schema.ts";

export interface SourceFreshness {
  id: string;
  kind: string;
  location: string;
  embeddingModel: string | null;
  docCount: number;
  chunkCount: number;
  lastLoadedAt: string | null;
  ageHours: number | null;
  stale: boolean;
}

export interface KbFreshness {
  /** Reviewed chunks anyone can find. */
  searchableChunks: number;
  sources: SourceFreshness[];
  available: boolean;
  /** Why search_kb is off, in words an ops person and a visitor can read. */
  reason: string | null;
}

/** @param maxAgeHours 0 means content never goes stale. */
export async function kbFreshness(db: Database, maxAgeHours: number, now = new Date()): Promise<KbFreshness> {
  const [counts, rows] = await guarded("kb.freshness", async () => {
    const [count] = await db.execute<{ searchable: number | string }>(
      sql`select count(*) as searchable from kb_chunks where reviewed`,
    );
    return [count, await db.select().from(kbSources).orderBy(kbSources.id)] as const;
  });
  const searchableChunks = Number(counts?.searchable ?? 0);
  const sources = rows.map((row) => {
    const ageHours = row.lastLoadedAt ? (now.getTime() - row.lastLoadedAt.getTime()) / 3_600_000 : null;
    return {
      id: row.id,
      kind: row.kind,
      location: row.location,
      embeddingModel: row.embeddingModel,
      docCount: row.docCount,
      chunkCount: row.chunkCount,
      lastLoadedAt: row.lastLoadedAt?.toISOString() ?? null,
      ageHours: ageHours === null ? null : Math.round(ageHours * 10) / 10,
      stale: maxAgeHours > 0 && (ageHours === null || ageHours > maxAgeHours),
    };
  });
  const fresh = sources.some((s) => !s.stale && s.chunkCount > 0);
  const reason =
    searchableChunks === 0
      ? "the help centre index is empty"
      : !fresh
        ? `the help centre was last loaded more than ${maxAgeHours} hours ago`
        : null;
  return { searchableChunks, sources, available: reason === null, reason };
}
