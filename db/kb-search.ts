/**
 * Knowledge-base search over Postgres + pgvector in ONE SQL round trip: a weighted full-text ranking (BM25 over
 * title, section path and passage, with IDF from kb_terms) and pgvector cosine distance over the HNSW index
 * (ordered by the distance operator with a LIMIT, so the index is used), fused by their scores relative to each
 * list's best (kb-search-sql.ts) and filtered by channel and the reviewed flag. An article is ranked by the better
 * of its original and its translation into the visitor's language, and shown in that language when translated,
 * else in the original; a hit's docId is the article's id whichever version is shown (a translation cites its
 * own URL under its article's id). The fused top 8 go through a reranker down to what was asked for.
 * Implements the KbSearch port for the search_kb Hand; the retrieval eval and the bench call it too.
 *
 * @example
 * const kb = hybridKbSearch(db, { embedder, reranker: termOverlapReranker() });
 * const hits = await kb.search("how do I return boots?", { topK: 3, channel: "web", signal });
 */
import { sql } from "drizzle-orm";
import { type Language, languageSchema } from "../core/contracts/language.ts";
import type { Channel } from "../core/contracts/thread.ts";
import { maskPii } from "../core/guardrails/pii.ts";
import type { KbHit, KbSearch } from "../core/hands/ports.ts";
import { type Embedder, isLexicalOnly } from "../core/retrieval/embedder.ts";
import { expandQuery, supportThesaurus, type Thesaurus } from "../core/retrieval/query-expansion.ts";
import { type Reranker, termOverlapReranker } from "../core/retrieval/reranker.ts";
import type { Database } from "./client.ts";
import { lexicalQueryText, searchStatement } from "./kb-search-sql.ts";

export type SearchMode = "hybrid" | "lexical" | "vector";

export interface KbSearchOptions {
  embedder: Embedder;
  reranker?: Reranker;
  /** Default: hybrid with an embedder, lexical without one. */
  mode?: SearchMode;
  /** Candidates taken from each ranking before fusion. 40 = pgvector's default hnsw.ef_search. */
  candidates?: number;
  /** Fused candidates handed to the reranker. */
  rerankDepth?: number;
  /** At most this many passages of one document among the fused candidates. */
  perDocument?: number;
  /** Synonyms added to the lexical query; null turns expansion off. Default: supportThesaurus. */
  thesaurus?: Thesaurus | null;
  /**
   * Characters of a passage returned as its snippet. The default keeps a whole chunk (at most 800 tokens): the
   * offline brain quotes from it, and a cut passage loses the end of its article.
   */
  snippetChars?: number;
}

export interface KbHitScores {
  /** BM25 score and rank in the lexical list, null when the passage was not in it. */
  lexical: number | null;
  lexicalRank: number | null;
  /** Cosine similarity (1 - distance) and rank in the vector list, null when not in it. */
  vector: number | null;
  vectorRank: number | null;
  fused: number;
  rerank: number;
}

export interface KbSearchHit extends KbHit {
  scores: KbHitScores;
}

export interface DetailedKbSearch extends KbSearch {
  readonly mode: SearchMode;
  search(
    query: string,
    options: { topK: number; channel: Channel; language?: Language; signal: AbortSignal },
  ): Promise<KbSearchHit[]>;
}

interface Row extends Record<string, unknown> {
  id: string;
  doc_id: string;
  language: string;
  title: string;
  section_path: string;
  url: string;
  body: string;
  /** The version of the article that matched the query (the shown one unless a translation stands in for it). */
  matched_title: string;
  matched_section: string;
  matched_body: string;
  lexical_score: number | string | null;
  lexical_rank: number | string | null;
  distance: number | string | null;
  vector_rank: number | string | null;
  fused: number | string;
}

export function hybridKbSearch(db: Database, options: KbSearchOptions): DetailedKbSearch {
  const lexicalOnly = isLexicalOnly(options.embedder);
  const mode: SearchMode = options.mode ?? (lexicalOnly ? "lexical" : "hybrid");
  if (mode !== "lexical" && lexicalOnly) throw new Error(`search mode ${mode} needs an embedding provider`);
  const reranker = options.reranker ?? termOverlapReranker();
  const candidates = options.candidates ?? 40;
  const rerankDepth = options.rerankDepth ?? 8;
  const perDocument = options.perDocument ?? 2;
  const snippetChars = options.snippetChars ?? 4000;
  const thesaurus = options.thesaurus === undefined ? supportThesaurus : options.thesaurus;

  return {
    mode,
    async search(query, { topK, channel, language = "en", signal }) {
      signal.throwIfAborted();
      // The Hand masks already; masking again is cheap and keeps this port safe for any other caller.
      const masked = maskPii(query);
      let vector: number[] | null = null;
      if (mode !== "lexical") {
        const [embedded] = await options.embedder.embed([masked], signal);
        vector = embedded ?? null;
      }
      signal.throwIfAborted();
      const rows = await db.execute<Row>(
        searchStatement({
          lexicalText: mode === "vector" ? null : lexicalQueryText(masked),
          expansionText:
            mode === "vector" || !thesaurus ? "" : expandQuery(lexicalQueryText(masked), thesaurus),
          vector,
          channel,
          language,
          candidates,
          perDocument,
          limit: Math.max(rerankDepth, topK),
        }),
      );
      // Two passages of an article found in English can both be shown as the translation's best passage.
      const unique = rows.filter((r, i) => rows.findIndex((o) => o.id === r.id) === i);
      const byId = new Map(unique.map((r) => [r.id, r]));
      const reranked = await reranker.rerank(
        masked,
        // Reranked on the version that matched: a translation shown for an original found by an English gloss
        // shares none of the gloss's words.
        unique.map((r) => ({
          id: r.id,
          title: r.matched_title,
          section: r.matched_section,
          body: r.matched_body,
          fused: num(r.fused),
        })),
        topK,
        signal,
      );
      return reranked.flatMap(({ id, score }) => {
        const r = byId.get(id);
        if (!r) return [];
        return [
          {
            chunkId: r.id,
            docId: r.doc_id,
            // Anything but the four languages cannot be stored (kb-loader); English is the safe reading.
            language: languageSchema.catch("en").parse(r.language),
            title: r.title,
            section: r.section_path,
            url: r.url,
            snippet: snippet(r.body, snippetChars),
            score,
            scores: {
              lexical: nullableNum(r.lexical_score),
              lexicalRank: nullableNum(r.lexical_rank),
              vector: r.distance === null ? null : 1 - num(r.distance),
              vectorRank: nullableNum(r.vector_rank),
              fused: num(r.fused),
              rerank: score,
            },
          },
        ];
      });
    },
  };
}

/** Freshness and size of the index, for the admin view and for switching search_kb off when it is empty or stale. */
export async function kbIndexStatus(db: Database): Promise<{
  chunks: number;
  lastLoadedAt: Date | null;
  sources: {
    id: string;
    kind: string;
    location: string;
    embeddingModel: string | null;
    lastLoadedAt: Date | null;
  }[];
}> {
  const rows = await db.execute<{
    id: string;
    kind: string;
    location: string;
    embedding_model: string | null;
    last_loaded_at: string | Date | null;
    searchable: number | string;
  }>(sql`
    select s.id, s.kind, s.location, s.embedding_model, s.last_loaded_at,
      (select count(*) from kb_chunks where reviewed) as searchable
    from kb_sources s order by s.id`);
  const sources = rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    location: r.location,
    embeddingModel: r.embedding_model,
    lastLoadedAt: r.last_loaded_at === null ? null : new Date(r.last_loaded_at),
  }));
  const times = sources.flatMap((s) => (s.lastLoadedAt ? [s.lastLoadedAt.getTime()] : []));
  return {
    chunks: rows[0] ? num(rows[0].searchable) : 0,
    lastLoadedAt: times.length > 0 ? new Date(Math.max(...times)) : null,
    sources,
  };
}

function snippet(body: string, max: number): string {
  if (body.length <= max) return body;
  const cut = body.lastIndexOf(" ", max);
  return `${body.slice(0, cut > max * 0.8 ? cut : max)}…`;
}

// postgres.js returns numeric and bigint columns as strings.
function num(value: number | string): number {
  return typeof value === "number" ? value : Number(value);
}

function nullableNum(value: number | string | null): number | null {
  return value === null ? null : num(value);
}
