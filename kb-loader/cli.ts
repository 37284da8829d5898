/**
 * `npm run kb:load -- SOURCE... [--wp URL]... [--prune] [--embedder local|fake|env|none]`: loads folders of
 * Markdown/HTML files, JSONL files and WordPress sites into the knowledge base at DATABASE_URL, with a progress bar
 * on stderr and a summary per source on stdout (or JSON with --json). Embeddings come from EMBEDDINGS_BASE_URL/
 * EMBEDDINGS_MODEL (--embedder env, the default), the local offline model served by this process for the load
 * (local, what `npm start` uses) or none; without them the index is lexical only and the summary says so. Exit codes: 0 loaded, 3 loaded but some records were skipped,
 * 1 failed, 2 bad usage.
 */
import { statSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseLinkHosts } from "../core/contracts/links.ts";
import { openDb } from "../db/client.ts";
import {
  EMBEDDER_CHOICES,
  EMBEDDER_FLAG,
  type EmbedderChoice,
  parseEmbedderChoice,
  startEmbeddings,
} from "../scripts/embedder-choice.ts";
import { type LoadSummary, loadKnowledge } from "./load-knowledge.ts";
import { progressBar } from "./progress-bar.ts";
import type { KbSourceSpec } from "./source.ts";

const USAGE = `usage: npm run kb:load -- [SOURCE...] [--wp URL]... [options]
  SOURCE             a folder of .md/.html files, or a .jsonl file
  --wp URL           a WordPress site (published posts and pages through /wp-json/wp/v2)
  --prune            remove documents the source no longer has (skipped if any record fails)
  --name NAME        source name for kb_sources (default: kind and location; one source only)
  --base-url URL     URL prefix for files without a url in their front matter
  --allowed-hosts H  hosts documents may live on, comma-separated (default: $ALLOWED_LINK_HOSTS); others are refused
  --database-url URL default: $DATABASE_URL
  ${EMBEDDER_FLAG}
                     env (default): EMBEDDINGS_*; local: the offline model npm start serves (512-d), run
                     in this process for the load; fake: deterministic test vectors; none: lexical only
  --json             print the summaries as JSON
environment: DATABASE_URL, ALLOWED_LINK_HOSTS, EMBEDDINGS_BASE_URL, EMBEDDINGS_MODEL, EMBEDDINGS_API_KEY, EMBEDDINGS_DIMENSIONS`;

function sourcesFrom(
  positionals: string[],
  wp: string[],
  name: string | undefined,
  baseUrl: string | undefined,
) {
  const specs: KbSourceSpec[] = [];
  for (const path of positionals) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new UsageError(`${path}: no such file or folder`);
    }
    if (isDirectory) specs.push({ kind: "folder", path, name, baseUrl });
    else if (/\.jsonl?$/i.test(path)) specs.push({ kind: "jsonl", path, name });
    else throw new UsageError(`${path}: expected a folder or a .jsonl file`);
  }
  for (const url of wp) {
    if (!/^https?:\/\//.test(url)) throw new UsageError(`--wp ${url}: expected an http(s) URL`);
    specs.push({ kind: "wordpress", url, name });
  }
  if (specs.length === 0) throw new UsageError("no source given");
  if (name && specs.length > 1) throw new UsageError("--name applies to one source only");
  return specs;
}

class UsageError extends Error {}

function sourcePath(source: KbSourceSpec): string {
  return source.kind === "folder" || source.kind === "jsonl" ? source.path : source.kind;
}

/** Drizzle wraps the driver's error: its own message names the query, the cause says what went wrong. */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e instanceof Error && parts.length < 3; e = e.cause)
    parts.push(e.message.split("\n")[0] ?? "");
  return parts.length > 0 ? parts.join(": ") : String(error);
}

function printSummary(s: LoadSummary): void {
  const d = s.documents;
  const lines = [
    `${s.source.kind} ${s.source.location}`,
    `  documents: ${d.added} added, ${d.updated} updated, ${d.unchanged} unchanged, ${d.removed} removed, ${d.skipped} skipped`,
    `  chunks: ${s.chunks.total} in source, ${s.chunks.written} written, ${s.chunks.embedded} embedded`,
    `  embedding calls: ${s.embeddingCalls} (${s.embeddingModel ?? "none: lexical-only index"})`,
    `  prune: ${s.prune === "skipped" ? "skipped because records failed (nothing removed)" : s.prune}`,
    `  time: ${(s.ms / 1000).toFixed(1)} s`,
  ];
  console.log(lines.join("\n"));
}

async function main(): Promise<number> {
  const parse = () =>
    parseArgs({
      allowPositionals: true,
      options: {
        wp: { type: "string", multiple: true, default: [] },
        prune: { type: "boolean", default: false },
        name: { type: "string" },
        "base-url": { type: "string" },
        "allowed-hosts": { type: "string" },
        "database-url": { type: "string" },
        embedder: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  let specs: KbSourceSpec[];
  let parsed: ReturnType<typeof parse>;
  let choice: EmbedderChoice | null;
  try {
    parsed = parse();
    if (parsed.values.help) {
      console.log(USAGE);
      return 0;
    }
    specs = sourcesFrom(parsed.positionals, parsed.values.wp, parsed.values.name, parsed.values["base-url"]);
    choice = parseEmbedderChoice(parsed.values.embedder, "env");
    if (!choice)
      throw new UsageError(`--embedder ${parsed.values.embedder}: expected ${EMBEDDER_CHOICES.join(", ")}`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  const { values } = parsed;
  const url = values["database-url"] ?? process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write("DATABASE_URL is not set (npm start prints the local one)\n");
    return 2;
  }
  const allowedLinkHosts = parseLinkHosts(values["allowed-hosts"] ?? process.env.ALLOWED_LINK_HOSTS);
  if (allowedLinkHosts.length === 0) {
    process.stderr.write(
      "ALLOWED_LINK_HOSTS is not set: document URLs are not checked (replies still link only to allowed hosts)\n",
    );
  }
  const embeddings = await startEmbeddings(choice);
  const { embedder } = embeddings;
  const { db, close } = openDb(url, { max: 2 });
  const summaries: LoadSummary[] = [];
  try {
    for (const source of specs) {
      const bar = progressBar(process.stderr, source.kind === "wordpress" ? source.url : sourcePath(source));
      try {
        summaries.push(
          await loadKnowledge({
            db,
            source,
            embedder,
            prune: values.prune,
            allowedLinkHosts,
            onProgress: (p) => bar.update(p),
          }),
        );
      } finally {
        bar.done();
      }
    }
  } catch (error) {
    // Database and network errors carry no document text; the message says what failed.
    process.stderr.write(`kb:load failed: ${describeError(error)}\n`);
    return 1;
  } finally {
    await close();
    await embeddings.close();
  }
  for (const s of summaries) {
    for (const issue of s.issues) {
      process.stderr.write(
        `skipped ${issue.location}${issue.line === null ? "" : `:${issue.line}`}: ${issue.message}\n`,
      );
    }
  }
  if (values.json) console.log(JSON.stringify(summaries, null, 2));
  else for (const s of summaries) printSummary(s);
  return summaries.some((s) => s.issues.length > 0) ? 3 : 0;
}

if (import.meta.main) process.exitCode = await main();
