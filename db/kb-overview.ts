/**
 * What the Knowledge page and GET /api/admin/kb show: each source's freshness (kb-freshness.ts) with how many
 * of its searchable chunks carry a vector, and the embedding model queries are embedded with now beside the one
 * each source's vectors were made with (a mismatch makes vector search compare apples with pears; a rebuild does
 * not fix it, a load does), and per language how many articles are originals and how many translate one (so a
 * translated help centre does not read as twice the articles).
 */
import { sql } from "drizzle-orm";
import type { EmbeddingsConfig } from "../core/config.ts";
import type { Database } from "./client.ts";
import { guarded } from "./db-error.ts";
import { type KbFreshness, kbFreshness, type SourceFreshness } from "./kb-freshness.ts";

export interface Coverage {
  /** Searchable (reviewed) chunks that have an embedding. */
  embedded: number;
  total: number;
  /** embedded / total; null when there is nothing to embed. */
  ratio: number | null;
}

export interface LanguageCount {
  language: string;
  originals: number;
  translations: number;
}

export interface KbOverview extends Omit<KbFreshness, "sources"> {
  maxAgeHours: number;
  embedding: {
    provider: EmbeddingsConfig["provider"];
    /** The model queries are embedded with; null: lexical search only. */
    model: string | null;
    coverage: Coverage;
  };
  sources: (SourceFreshness & {
    coverage: Coverage;
    /** The source's vectors were made with another model than the configured one. */
    modelMismatch: boolean;
    /** By language code, in its order. */
    languages: LanguageCount[];
  })[];
}

export async function kbOverview(
  db: Database,
  options: { maxAgeHours: number; embeddings: EmbeddingsConfig },
): Promise<KbOverview> {
  const freshness = await kbFreshness(db, options.maxAgeHours);
  const rows = await guarded("kb.coverage", () =>
    db.execute<{ source_id: string; total: number | string; embedded: number | string }>(sql`
      select d.source_id, count(*) as total, count(c.embedding) as embedded
      from kb_chunks c join kb_docs d on d.id = c.doc_id
      where c.reviewed group by d.source_id`),
  );
  const bySource = new Map(rows.map((r) => [r.source_id, coverage(Number(r.embedded), Number(r.total))]));
  const languageRows = await guarded("kb.languages", () =>
    db.execute<{
      source_id: string;
      language: string;
      originals: number | string;
      translations: number | string;
    }>(sql`
      select source_id, language,
        count(*) filter (where translation_of is null) as originals,
        count(*) filter (where translation_of is not null) as translations
      from kb_docs group by source_id, language order by language`),
  );
  const languagesOf = (source: string): LanguageCount[] =>
    languageRows
      .filter((r) => r.source_id === source)
      .map((r) => ({
        language: r.language,
        originals: Number(r.originals),
        translations: Number(r.translations),
      }));
  const model = options.embeddings.provider === "none" ? null : options.embeddings.model;
  const all = [...bySource.values()];
  return {
    ...freshness,
    maxAgeHours: options.maxAgeHours,
    embedding: {
      provider: options.embeddings.provider,
      model,
      coverage: coverage(
        all.reduce((n, c) => n + c.embedded, 0),
        all.reduce((n, c) => n + c.total, 0),
      ),
    },
    sources: freshness.sources.map((s) => ({
      ...s,
      coverage: bySource.get(s.id) ?? coverage(0, 0),
      modelMismatch: model !== null && s.embeddingModel !== null && s.embeddingModel !== model,
      languages: languagesOf(s.id),
    })),
  };
}

function coverage(embedded: number, total: number): Coverage {
  return { embedded, total, ratio: total === 0 ? null : embedded / total };
}
