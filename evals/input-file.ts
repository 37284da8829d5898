/**
 * The case files the eval CLIs read. A path that cannot be read ends the run with one line on stderr and exit
 * code 2 (a usage error, like a missing flag), not a stack trace; a JSONL line that is not JSON or not a valid
 * row is skipped with its line number, so one bad row never hides the others' results; a file with no valid
 * row at all is a usage error too (an eval over nothing would print perfect scores).
 */
import { readFile } from "node:fs/promises";
import type { z } from "zod";

export async function readInputFile(path: string | URL): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    process.stderr.write(`cannot read ${String(path)} (${code})\n`);
    process.exit(2);
  }
}

export async function readJsonlFile<T>(path: string, schema: z.ZodType<T>): Promise<T[]> {
  const rows: T[] = [];
  (await readInputFile(path)).split("\n").forEach((line, index) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      process.stderr.write(`${path}:${index + 1}: skipped (not JSON)\n`);
      return;
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) rows.push(parsed.data);
    else process.stderr.write(`${path}:${index + 1}: skipped (${parsed.error.issues[0]?.message})\n`);
  });
  if (rows.length === 0) {
    process.stderr.write(`no valid rows in ${path}\n`);
    process.exit(2);
  }
  return rows;
}
