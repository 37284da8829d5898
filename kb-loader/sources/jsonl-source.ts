/**
 * Reads a JSONL file: one document per line with id, title, url, text, and optional section, updated_at,
 * allowed_channels and reviewed (other fields are ignored). A line that is not JSON or fails validation is
 * reported with its line number and skipped; blank lines are allowed. Called by source.ts.
 */
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { createInterface } from "node:readline";
import { type KbRecord, type LoadIssue, parseRecord } from "../kb-record.ts";

export async function readJsonl(
  path: string,
  options: { defaultReviewed: boolean },
): Promise<{ records: KbRecord[]; issues: LoadIssue[] }> {
  const records: KbRecord[] = [];
  const issues: LoadIssue[] = [];
  const location = basename(path);
  const lines = createInterface({
    input: createReadStream(path, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (!text.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      // The parser's message quotes the line's content, which may hold anything: keep only the fact.
      issues.push({ location, line, message: "not valid JSON" });
      continue;
    }
    const result = parseRecord(raw, { location, line }, options.defaultReviewed);
    if (result.ok) records.push(result.record);
    else issues.push(result.issue);
  }
  return { records, issues };
}
