/**
 * The kinds of knowledge source kb-loader reads, and the one function that reads any of them into validated
 * records plus the problems found on the way. Called by load-knowledge.ts; the CLI and `npm start`'s seed build
 * a `KbSourceSpec` and never touch the readers directly.
 */
import { resolve } from "node:path";
import type { KbRecord, LoadIssue } from "./kb-record.ts";
import { readFolder } from "./sources/folder-source.ts";
import { readJsonl } from "./sources/jsonl-source.ts";
import { readRecords } from "./sources/records-source.ts";
import { readWordPress } from "./sources/wordpress-source.ts";

export type KbSourceSpec =
  /** Markdown (.md) and HTML (.html) files, recursively; front matter as in demo/help-centre. */
  | { kind: "folder"; path: string; name?: string; baseUrl?: string; defaultReviewed?: boolean }
  /** One JSON object per line: id, title, url, text, and optional section, updated_at, allowed_channels, reviewed. */
  | { kind: "jsonl"; path: string; name?: string; defaultReviewed?: boolean }
  /** A WordPress site's published posts and pages through its REST API. */
  | { kind: "wordpress"; url: string; name?: string; timeoutMs?: number; perPage?: number }
  /** Records already in memory (seeds, evals, tests), validated like any other source. */
  | { kind: "records"; name: string; records: readonly unknown[]; defaultReviewed?: boolean };

export interface SourceIdentity {
  /** kb_sources.id and kb_docs.source_id: prune only ever touches documents of the same source. */
  id: string;
  kind: KbSourceSpec["kind"];
  /** What an ops person recognises: a path or a site URL. */
  location: string;
}

export interface SourceRead {
  records: KbRecord[];
  issues: LoadIssue[];
}

export function sourceIdentity(spec: KbSourceSpec): SourceIdentity {
  switch (spec.kind) {
    case "folder":
    case "jsonl": {
      const location = resolve(spec.path);
      return { id: spec.name ?? `${spec.kind}:${location}`, kind: spec.kind, location };
    }
    case "wordpress": {
      const location = siteRoot(spec.url);
      return { id: spec.name ?? `wordpress:${location}`, kind: spec.kind, location };
    }
    case "records":
      return { id: spec.name, kind: spec.kind, location: `memory:${spec.name}` };
    default:
      return assertNever(spec);
  }
}

export async function readSource(spec: KbSourceSpec, signal?: AbortSignal): Promise<SourceRead> {
  const read = await readAll(spec, signal);
  const unique = withoutDuplicates(read.records);
  return { records: unique.records, issues: [...read.issues, ...unique.issues] };
}

async function readAll(spec: KbSourceSpec, signal?: AbortSignal): Promise<SourceRead> {
  switch (spec.kind) {
    case "folder":
      return readFolder(resolve(spec.path), {
        baseUrl: spec.baseUrl,
        defaultReviewed: spec.defaultReviewed ?? true,
      });
    case "jsonl":
      return readJsonl(resolve(spec.path), { defaultReviewed: spec.defaultReviewed ?? true });
    case "wordpress":
      return readWordPress(siteRoot(spec.url), { signal, timeoutMs: spec.timeoutMs, perPage: spec.perPage });
    case "records":
      return readRecords(spec.name, spec.records, spec.defaultReviewed ?? true);
    default:
      return assertNever(spec);
  }
}

/** Two records with one id would overwrite each other in turn: the first wins, later ones are reported. */
function withoutDuplicates(records: KbRecord[]): SourceRead {
  const seen = new Set<string>();
  const kept: KbRecord[] = [];
  const issues: LoadIssue[] = [];
  for (const record of records) {
    if (seen.has(record.id)) {
      issues.push({ location: record.url, line: null, message: `duplicate id ${record.id}: skipped` });
      continue;
    }
    seen.add(record.id);
    kept.push(record);
  }
  return { records: kept, issues };
}

function siteRoot(url: string): string {
  return url.replace(/\/+$/, "").replace(/\/wp-json$/, "");
}

function assertNever(value: never): never {
  throw new Error(`unknown source kind: ${JSON.stringify(value)}`);
}
