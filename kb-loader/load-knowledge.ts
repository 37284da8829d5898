/**
 * The library entry point of kb-loader: reads a source, chunks every document, embeds only chunks whose content
 * is new (content hash) or whose vectors belong to another model, writes each document atomically, optionally
 * prunes documents the source no longer has, records the source in kb_sources and refreshes the lexical
 * statistics. Called by the CLI (cli.ts), `npm start`'s seed, the retrieval eval and tests.
 *
 * @example
 * const summary = await loadKnowledge({ db, source: { kind: "folder", path: "demo/help-centre" }, embedder });
 */
import { createHash } from "node:crypto";
import { allowedHref } from "../core/contracts/links.ts";
import type { Embedder } from "../core/retrieval/embedder.ts";
import { embeddingText } from "../core/retrieval/embedding-text.ts";
import type { Database } from "../db/client.ts";
import { ensureEmbeddingWidth } from "../db/embedding-width.ts";
import { refreshLexicalStats } from "../db/kb-index.ts";
import { type ChunkOptions, chunkText, defaultChunkOptions } from "./chunker.ts";
import type { KbRecord, LoadIssue } from "./kb-record.ts";
import {
  type ChunkRow,
  pendingVectors,
  previousModel,
  pruneSource,
  recordSource,
  storedChunks,
  storedDocs,
  writeDoc,
} from "./kb-store.ts";
import { type KbSourceSpec, readSource, type SourceIdentity, sourceIdentity } from "./source.ts";

/** Bumped when chunking changes, so every document is re-chunked once (unchanged chunks keep their vectors). */
const CHUNKER_VERSION = 1;
const DOCS_PER_BATCH = 32;

export type LoadPhase = "read" | "index" | "prune" | "stats";

export interface LoadProgress {
  phase: LoadPhase;
  done: number;
  total: number;
}

export interface LoadOptions {
  db: Database;
  source: KbSourceSpec;
  embedder: Embedder;
  /** Remove the source's documents that it no longer has. Skipped when any record failed to read. */
  prune?: boolean;
  onProgress?: (progress: LoadProgress) => void;
  signal?: AbortSignal;
  chunking?: ChunkOptions;
  /** Texts per embed() call. */
  embedBatchSize?: number;
  /**
   * Hosts replies may link to (ALLOWED_LINK_HOSTS): a document whose URL is elsewhere is refused and reported,
   * since a citation of it could not be linked. Omitted or empty: not checked.
   */
  allowedLinkHosts?: readonly string[];
}

export interface LoadSummary {
  source: SourceIdentity;
  embeddingModel: string | null;
  documents: { added: number; updated: number; unchanged: number; removed: number; skipped: number };
  /** total: the source's chunks after the load; written: chunks of added or updated documents. */
  chunks: { total: number; written: number; embedded: number };
  embeddingCalls: number;
  /** "skipped" when prune was asked for but some records failed, so nothing indexed is lost. */
  prune: "done" | "skipped" | "off";
  issues: LoadIssue[];
  ms: number;
}

export async function loadKnowledge(options: LoadOptions): Promise<LoadSummary> {
  const started = performance.now();
  const { db, embedder, signal } = options;
  const chunking = options.chunking ?? defaultChunkOptions;
  const batchSize = options.embedBatchSize ?? 64;
  const progress = options.onProgress ?? (() => {});
  const source = sourceIdentity(options.source);

  progress({ phase: "read", done: 0, total: 1 });
  const read = await readSource(options.source, signal);
  const { records, issues } = refuseOutsideHosts(read.records, read.issues, options.allowedLinkHosts ?? []);
  progress({ phase: "read", done: 1, total: 1 });

  // A model of another width retypes the column and clears every vector: this load redoes them all.
  const retyped = embedder.model ? await ensureEmbeddingWidth(db, embedder.dimensions) : false;
  const before = await previousModel(db, source.id);
  // Vectors of another model are not comparable with this model's queries: redo them all (or drop them).
  const modelChanged = retyped || (before !== undefined && before !== embedder.model);
  const stored = await storedDocs(
    db,
    records.map((r) => r.id),
  );
  const documents = { added: 0, updated: 0, unchanged: 0, removed: 0, skipped: issues.length };
  const chunkCounts = { written: 0, embedded: 0 };
  let embeddingCalls = 0;

  for (let start = 0; start < records.length; start += DOCS_PER_BATCH) {
    signal?.throwIfAborted();
    const batch = records.slice(start, start + DOCS_PER_BATCH);
    const pending = embedder.model
      ? await pendingVectors(
          db,
          batch.map((r) => r.id),
        )
      : new Set<string>();
    const work: { record: KbRecord; docHash: string; chunks: ChunkRow[]; embed: ChunkRow[] }[] = [];
    for (const record of batch) {
      const docHash = hashOf([CHUNKER_VERSION, record]);
      const previous = stored.get(record.id);
      if (
        previous?.sourceId === source.id &&
        previous.contentHash === docHash &&
        !modelChanged &&
        !pending.has(record.id)
      ) {
        documents.unchanged++;
        continue;
      }
      if (previous) documents.updated++;
      else documents.added++;
      const chunks = chunkRows(record, chunking);
      const kept = new Map((previous ? await storedChunks(db, record.id) : []).map((c) => [c.id, c]));
      const embed =
        embedder.model && record.reviewed
          ? chunks.filter((c) => modelChanged || !kept.get(c.id)?.embedded)
          : [];
      work.push({ record, docHash, chunks, embed });
    }

    const toEmbed = work.flatMap((w) => w.embed.map((chunk) => ({ chunk, record: w.record })));
    const vectors = new Map<string, number[]>();
    for (let i = 0; i < toEmbed.length; i += batchSize) {
      const slice = toEmbed.slice(i, i + batchSize);
      const embedded = await embedder.embed(
        slice.map(({ chunk, record }) => embeddingText(record.title, chunk.sectionPath, chunk.body)),
        signal,
      );
      embeddingCalls++;
      slice.forEach(({ chunk }, j) => {
        const vector = embedded[j];
        if (vector) vectors.set(chunk.id, vector);
      });
    }
    for (const w of work) {
      await writeDoc(db, source, w.record, w.docHash, w.chunks, vectors, modelChanged);
      chunkCounts.written += w.chunks.length;
      chunkCounts.embedded += w.embed.length;
    }
    progress({ phase: "index", done: Math.min(records.length, start + batch.length), total: records.length });
  }

  let prune: LoadSummary["prune"] = "off";
  if (options.prune) {
    if (issues.length > 0) prune = "skipped";
    else {
      progress({ phase: "prune", done: 0, total: 1 });
      documents.removed = await pruneSource(
        db,
        source.id,
        records.map((r) => r.id),
      );
      prune = "done";
      progress({ phase: "prune", done: 1, total: 1 });
    }
  }

  progress({ phase: "stats", done: 0, total: 1 });
  const counts = await recordSource(db, source, embedder.model, new Date());
  await refreshLexicalStats(db);
  progress({ phase: "stats", done: 1, total: 1 });

  return {
    source,
    embeddingModel: embedder.model,
    documents,
    chunks: { total: counts.chunkCount, ...chunkCounts },
    embeddingCalls,
    prune,
    issues,
    ms: Math.round(performance.now() - started),
  };
}

/**
 * What is embedded for a chunk: its document title and section path give a short passage its context. The chunk
 * id and content hash derive from the same text, so a chunk whose embedded text is unchanged is never re-embedded.
 */

export function chunkRows(record: KbRecord, options: ChunkOptions = defaultChunkOptions): ChunkRow[] {
  const used = new Set<string>();
  return chunkText(record.text, record.title, options).map((chunk) => {
    const contentHash = hashOf(embeddingText(record.title, chunk.sectionPath, chunk.text));
    // Identical passages twice in one document get distinct ids.
    let id = `${record.id}#${contentHash.slice(0, 16)}`;
    if (used.has(id)) id = `${id}-${chunk.ordinal}`;
    used.add(id);
    return {
      id,
      ordinal: chunk.ordinal,
      sectionPath: chunk.sectionPath,
      body: chunk.text,
      tokenCount: chunk.tokenCount,
      contentHash,
    };
  });
}

function hashOf(value: unknown): string {
  return createHash("sha256")
    .update(typeof value === "string" ? value : JSON.stringify(value))
    .digest("hex");
}

/** Documents whose URL is on a host replies may not link to are refused, each reported as an issue. */
function refuseOutsideHosts(
  records: KbRecord[],
  issues: LoadIssue[],
  allowedHosts: readonly string[],
): { records: KbRecord[]; issues: LoadIssue[] } {
  if (allowedHosts.length === 0) return { records, issues };
  const kept: KbRecord[] = [];
  const refused: LoadIssue[] = [];
  for (const record of records) {
    if (allowedHref(record.url, allowedHosts)) kept.push(record);
    else
      refused.push({
        location: record.id,
        line: null,
        message: `url ${new URL(record.url).host} is not in ALLOWED_LINK_HOSTS (${allowedHosts.join(", ")})`,
      });
  }
  return { records: kept, issues: [...issues, ...refused] };
}
