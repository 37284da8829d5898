/**
 * Reads a folder of Markdown (.md, .markdown) and HTML (.html, .htm) files, recursively, in a stable order. Each
 * file may start with a flat front-matter block (id, title, section, url, updated_at, allowed_channels, reviewed,
 * language, translation_of: see demo/README.md). Without one, the id comes from the file's path, the title from the first level-1 heading
 * (or HTML <title>), and the URL from `baseUrl` + path. A file that cannot be read or validated is reported by
 * its path (and the front-matter line at fault) and skipped. Called by source.ts.
 */
import { readdir, readFile } from "node:fs/promises";
import { extname, join, relative, sep } from "node:path";
import { htmlToText } from "../html-to-text.ts";
import { type KbRecord, type LoadIssue, parseFrontMatter, parseRecord } from "../kb-record.ts";

const MARKDOWN = new Set([".md", ".markdown"]);
const HTML = new Set([".html", ".htm"]);

export interface FolderOptions {
  baseUrl?: string | undefined;
  defaultReviewed: boolean;
}

export async function readFolder(
  root: string,
  options: FolderOptions,
): Promise<{ records: KbRecord[]; issues: LoadIssue[] }> {
  const records: KbRecord[] = [];
  const issues: LoadIssue[] = [];
  for (const file of await listFiles(root)) {
    const name = relative(root, file).split(sep).join("/");
    let raw: string;
    try {
      raw = await readFile(file, "utf8");
    } catch (error) {
      issues.push({ location: name, line: null, message: `cannot read: ${describe(error)}` });
      continue;
    }
    const result = fileRecord(name, raw, options);
    if (result.ok) records.push(result.record);
    else issues.push(result.issue);
  }
  return { records, issues };
}

/** One file's text to a validated record; exported for tests. */
export function fileRecord(
  name: string,
  raw: string,
  options: FolderOptions,
): { ok: true; record: KbRecord } | { ok: false; issue: LoadIssue } {
  if (raw.includes("\u0000"))
    return { ok: false, issue: { location: name, line: null, message: "binary file" } };
  const { fields, body } = parseFrontMatter(raw);
  const slug = name.replace(/\.[^./]+$/, "");
  let text = body;
  let derivedTitle: string | null = null;
  if (HTML.has(extname(name).toLowerCase())) {
    const html = htmlToText(body);
    text = html.text;
    derivedTitle = html.firstH1 ?? html.title;
  } else {
    derivedTitle = /^#\s+(.+?)\s*#*\s*$/m.exec(body)?.[1] ?? null;
  }
  const baseUrl = options.baseUrl?.replace(/\/+$/, "");
  const result = parseRecord(
    {
      id: fields.id ?? slug.replace(/\//g, "-"),
      title: fields.title ?? derivedTitle ?? undefined,
      url: fields.url ?? (baseUrl ? `${baseUrl}/${slug}` : undefined),
      text,
      section: fields.section,
      updated_at: fields.updated_at,
      allowed_channels: fields.allowed_channels,
      reviewed: fields.reviewed,
      language: fields.language,
      translation_of: fields.translation_of,
    },
    { location: name, line: null },
    options.defaultReviewed,
  );
  if (result.ok) return result;
  return { ok: false, issue: { ...result.issue, line: frontMatterLine(raw, result.issue.message) } };
}

/** Points at the front-matter line of the first field named in the message, so the report says where to look. */
function frontMatterLine(raw: string, message: string): number | null {
  const field = /^([a-z_]+)(?:\.\d+)?:/.exec(message)?.[1];
  if (!field) return null;
  const lines = raw.replace(/\r\n?/g, "\n").split("\n");
  if (lines[0] !== "---") return null;
  for (let i = 1; i < lines.length && lines[i] !== "---"; i++) {
    if (new RegExp(`^\\s*${field}\\s*:`, "i").test(lines[i] ?? "")) return i + 1;
  }
  return null;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    // Hidden files and folders (.git, .DS_Store) are never content.
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (
      entry.isFile() &&
      (MARKDOWN.has(extname(entry.name).toLowerCase()) || HTML.has(extname(entry.name).toLowerCase()))
    )
      files.push(path);
  }
  return files;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
