/**
 * Retrieval eval: loads documents (JSONL as in shared/data/kb_docs.jsonl) through kb-loader into fresh in-memory
 * PGlite+pgvector databases, runs every query (JSONL: question, relevant_doc_ids, query_type, corpus_subset) through
 * the product's search (db/kb-search.ts) in lexical, vector and hybrid modes, and through a plain BM25 baseline
 * (evals/bm25.ts) over the same documents. Prints recall@1/3/8 and MRR overall, per corpus_subset and per
 * query_type, and query latency. Run by hand and by CI:
 *   npm run -s eval:retrieval -- --docs FILE --queries FILE [--json] [--embedder local|fake|env|none]
 * Each corpus_subset is searched in its own index holding that subset's documents (documents whose id or source
 * starts with the subset name; all documents when none do). `article_title` queries run against an index built
 * without titles (and without a leading heading that repeats the title), since the title would answer them.
 * Vector and hybrid run when there is an embedder (scripts/embedder-choice.ts): --embedder env (the default:
 * EMBEDDINGS_BASE_URL/EMBEDDINGS_MODEL), local (the real offline model, served in-process on loopback) or fake
 * (test-tools/fake-llm's deterministic embeddings; --fake-embeddings is the old spelling); none is lexical only.
 */
import "../scripts/launcher.ts";
import { parseArgs } from "node:util";
import { z } from "zod";
import { type Embedder, isLexicalOnly } from "../core/retrieval/embedder.ts";
import { supportThesaurus } from "../core/retrieval/query-expansion.ts";
import { fusionOrderReranker, type Reranker, termOverlapReranker } from "../core/retrieval/reranker.ts";
import { openDb } from "../db/client.ts";
import { hybridKbSearch, type SearchMode } from "../db/kb-search.ts";
import { startLocalPostgres } from "../db/local-postgres.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { loadKnowledge } from "../kb-loader/load-knowledge.ts";
import { EMBEDDER_FLAG, parseEmbedderChoice, startEmbeddings } from "../scripts/embedder-choice.ts";
import { buildBm25 } from "./bm25.ts";
import { readJsonlFile } from "./input-file.ts";
import { type ModeReport, type QueryOutcome, report } from "./retrieval-metrics.ts";

const docSchema = z.looseObject({
  id: z.string().min(1),
  title: z.string(),
  url: z.string(),
  text: z.string(),
  source: z.string().optional(),
  category: z.string().nullish(),
  section: z.string().nullish(),
});
type EvalDoc = z.infer<typeof docSchema>;

const querySchema = z.looseObject({
  id: z.string().optional(),
  question: z.string().min(1),
  relevant_doc_ids: z.array(z.string()).min(1),
  query_type: z.string().default("query"),
  corpus_subset: z.string().default("all"),
});
type EvalQuery = z.infer<typeof querySchema>;

const TITLE_FREE_TYPES = new Set(["article_title"]);
const DEPTH = 8;

function subsetDocs(docs: EvalDoc[], subset: string): EvalDoc[] {
  const own = docs.filter((d) => d.id.startsWith(`${subset}-`) || d.source?.startsWith(subset));
  return own.length > 0 ? own : docs;
}

/** The title-free variant drops the title and a first heading that repeats it. */
function asRecord(doc: EvalDoc, withTitle: boolean) {
  let text = doc.text;
  if (!withTitle) {
    const first = /^\s*#{1,6}\s+(.+)\n?/.exec(text);
    if (first && first[1]?.trim() === doc.title.trim()) text = text.slice(first[0].length);
  }
  return {
    id: doc.id,
    title: withTitle ? doc.title : "",
    url: doc.url,
    text,
    section: doc.section ?? doc.category ?? null,
    reviewed: true,
    allowed_channels: ["web"],
  };
}

/** A search configuration to measure: "lexical" is the product's lexical path (with its thesaurus). */
interface Variant {
  name: string;
  mode: SearchMode;
  expansion: boolean;
}

interface IndexRun {
  outcomes: Record<string, QueryOutcome[]>;
}

async function runIndex(
  docs: EvalDoc[],
  queries: EvalQuery[],
  withTitle: boolean,
  embedder: Embedder,
  reranker: Reranker,
  variants: Variant[],
): Promise<IndexRun> {
  const pg = await startLocalPostgres();
  const handle = openDb(pg.url, { max: 1 });
  const outcomes: Record<string, QueryOutcome[]> = { bm25: [] };
  try {
    await migrateDatabase(pg.url);
    const records = docs.map((d) => asRecord(d, withTitle));
    const summary = await loadKnowledge({
      db: handle.db,
      source: { kind: "records", name: "eval", records },
      embedder,
    });
    if (summary.issues.length > 0) process.stderr.write(`${summary.issues.length} documents skipped\n`);
    const bm25 = buildBm25(records.map((r) => ({ id: r.id, text: `${r.title} ${r.text}` })));
    const groups = (q: EvalQuery) => ({ corpus_subset: q.corpus_subset, query_type: q.query_type });
    for (const q of queries) {
      const started = performance.now();
      const ranked = bm25.search(q.question, DEPTH).map((h) => h.id);
      outcomes.bm25?.push({
        groups: groups(q),
        relevant: q.relevant_doc_ids,
        ranked,
        ms: performance.now() - started,
      });
    }
    for (const variant of variants) {
      const search = hybridKbSearch(handle.db, {
        embedder,
        reranker,
        mode: variant.mode,
        thesaurus: variant.expansion ? supportThesaurus : null,
        perDocument: 1,
        rerankDepth: DEPTH,
      });
      const list: QueryOutcome[] = [];
      for (const q of queries) {
        const started = performance.now();
        const hits = await search.search(q.question, {
          topK: DEPTH,
          channel: "web",
          signal: AbortSignal.timeout(30_000),
        });
        list.push({
          groups: groups(q),
          relevant: q.relevant_doc_ids,
          ranked: hits.map((h) => h.docId),
          ms: performance.now() - started,
        });
      }
      outcomes[variant.name] = list;
    }
  } finally {
    await handle.close();
    await pg.stop();
  }
  return { outcomes };
}

export async function runRetrievalEval(options: {
  docs: EvalDoc[];
  queries: EvalQuery[];
  embedder: Embedder;
  reranker: Reranker;
  onIndex?: (label: string) => void;
}): Promise<Record<string, ModeReport>> {
  const variants: Variant[] = [
    { name: "lexical", mode: "lexical", expansion: true },
    { name: "lexical_without_expansion", mode: "lexical", expansion: false },
    ...(isLexicalOnly(options.embedder)
      ? []
      : [
          { name: "vector", mode: "vector", expansion: false } as const,
          { name: "hybrid", mode: "hybrid", expansion: true } as const,
        ]),
  ];
  const all: Record<string, QueryOutcome[]> = {};
  const subsets = [...new Set(options.queries.map((q) => q.corpus_subset))].sort();
  for (const subset of subsets) {
    for (const withTitle of [true, false]) {
      const queries = options.queries.filter(
        (q) => q.corpus_subset === subset && TITLE_FREE_TYPES.has(q.query_type) !== withTitle,
      );
      if (queries.length === 0) continue;
      const docs = subsetDocs(options.docs, subset);
      options.onIndex?.(
        `${subset}${withTitle ? "" : " (no titles)"}: ${docs.length} docs, ${queries.length} queries`,
      );
      const run = await runIndex(docs, queries, withTitle, options.embedder, options.reranker, variants);
      for (const [mode, list] of Object.entries(run.outcomes)) all[mode] = [...(all[mode] ?? []), ...list];
    }
  }
  return Object.fromEntries(Object.entries(all).map(([mode, list]) => [mode, report(list)]));
}

function targets(reports: Record<string, ModeReport>) {
  const lexical = reports.lexical;
  const bm25 = reports.bm25;
  const subsetsBeat = Object.entries(lexical?.by.corpus_subset ?? {}).map(([subset, s]) => {
    const base = bm25?.by.corpus_subset?.[subset];
    return {
      subset,
      lexical: s["recall@3"],
      bm25: base?.["recall@3"] ?? 0,
      mrr_lexical: s.mrr,
      mrr_bm25: base?.mrr ?? 0,
    };
  });
  const bitext = lexical?.by.corpus_subset?.bitext?.["recall@3"] ?? null;
  const titles = lexical?.by.query_type?.article_title?.["recall@3"] ?? null;
  return {
    "lexical recall@3 bitext >= 0.90": { value: bitext, met: bitext !== null && bitext >= 0.9 },
    "lexical recall@3 arduino article_title >= 0.85": {
      value: titles,
      met: titles !== null && titles >= 0.85,
    },
    "lexical above bm25 on every subset (recall@3)": {
      value: subsetsBeat,
      met: subsetsBeat.every(
        (s) => s.lexical > s.bm25 || (s.lexical === s.bm25 && s.mrr_lexical > s.mrr_bm25),
      ),
    },
  };
}

function printTable(reports: Record<string, ModeReport>): void {
  const line = (
    label: string,
    s: { queries: number; "recall@1": number; "recall@3": number; "recall@8": number; mrr: number },
  ) =>
    `  ${label.padEnd(34)} n=${String(s.queries).padStart(5)}  r@1 ${s["recall@1"].toFixed(3)}  r@3 ${s["recall@3"].toFixed(3)}  r@8 ${s["recall@8"].toFixed(3)}  mrr ${s.mrr.toFixed(3)}`;
  for (const [mode, r] of Object.entries(reports)) {
    console.log(`${mode}  (latency p50 ${r.latency_ms.p50} ms, p95 ${r.latency_ms.p95} ms)`);
    console.log(line("overall", r.overall));
    for (const [key, values] of Object.entries(r.by)) {
      for (const [value, s] of Object.entries(values)) console.log(line(`${key}=${value}`, s));
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      docs: { type: "string" },
      queries: { type: "string" },
      json: { type: "boolean", default: false },
      "fake-embeddings": { type: "boolean", default: false },
      embedder: { type: "string" },
      "no-rerank": { type: "boolean", default: false },
    },
  });
  const choice = values["fake-embeddings"] ? "fake" : parseEmbedderChoice(values.embedder, "env");
  if (!values.docs || !values.queries || !choice) {
    process.stderr.write(`usage: eval:retrieval -- --docs FILE --queries FILE [--json] [${EMBEDDER_FLAG}]\n`);
    process.exit(2);
  }
  const docs = await readJsonlFile(values.docs, docSchema);
  const queries = await readJsonlFile(values.queries, querySchema);
  const embeddings = await startEmbeddings(choice);
  try {
    const { embedder } = embeddings;
    const reranker: Reranker = values["no-rerank"] ? fusionOrderReranker : termOverlapReranker();
    const started = performance.now();
    const reports = await runRetrievalEval({
      docs,
      queries,
      embedder,
      reranker,
      onIndex: (label) => process.stderr.write(`indexing ${label}\n`),
    });
    const result = {
      docs: docs.length,
      queries: queries.length,
      embedding_model: embedder.model,
      reranker: reranker.name,
      recall_definition: "share of queries with a relevant document among the first k distinct documents",
      seconds: Math.round((performance.now() - started) / 100) / 10,
      modes: reports,
      targets: targets(reports),
    };
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else {
      printTable(reports);
      console.log(JSON.stringify(result.targets, null, 2));
    }
  } finally {
    await embeddings.close();
  }
}

if (import.meta.main) await main();
