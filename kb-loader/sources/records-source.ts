/**
 * Validates records that are already in memory (the demo seed, the retrieval eval, tests) exactly like lines
 * of a JSONL file, so every way into the index goes through the same schema. Called by source.ts.
 */
import { type KbRecord, type LoadIssue, parseRecord } from "../kb-record.ts";

export function readRecords(
  name: string,
  raw: readonly unknown[],
  defaultReviewed: boolean,
): { records: KbRecord[]; issues: LoadIssue[] } {
  const records: KbRecord[] = [];
  const issues: LoadIssue[] = [];
  raw.forEach((item, index) => {
    const result = parseRecord(item, { location: name, line: index + 1 }, defaultReviewed);
    if (result.ok) records.push(result.record);
    else issues.push(result.issue);
  });
  return { records, issues };
}
