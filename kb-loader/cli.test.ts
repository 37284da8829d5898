/**
 * `npm run kb:load` as a person runs it (the CLI in its own process, against a PGlite over TCP): --embedder picks
 * the provider for the load (here the fake server it starts itself, so every chunk is embedded with no EMBEDDINGS_*
 * set), none loads lexical only, and an unknown value is a usage error that touches nothing.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDatabase, type TestDatabase } from "./test-database.ts";

const cli = fileURLToPath(new URL("./cli.ts", import.meta.url));
let database: TestDatabase;
let dir: string;

beforeAll(async () => {
  database = await startTestDatabase();
  dir = await mkdtemp(join(tmpdir(), "kb-cli-"));
  await writeFile(
    join(dir, "refunds.md"),
    "---\nid: refunds\ntitle: Refund timing\nurl: https://help.example/refunds\n---\nRefunds reach your card within 5 business days.\n",
  );
}, 60_000);

afterAll(async () => {
  await Promise.all([database?.stop(), rm(dir, { recursive: true, force: true })]);
});

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // No EMBEDDINGS_* from the shell running the tests: the flag alone decides.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("EMBEDDINGS_")));
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function embeddedChunks(): Promise<number> {
  const rows = await database.db.execute<{ n: number }>(
    sql`select count(*)::int as n from kb_chunks where embedding is not null`,
  );
  return Number(rows[0]?.n ?? -1);
}

// Each test starts Node, the CLI and its database connection: seconds on a busy machine.
describe("kb:load --embedder", { timeout: 60_000 }, () => {
  it("fake: embeds every chunk with the model it serves for the load", async () => {
    const result = await run(["--embedder", "fake", "--database-url", database.url, "--json", dir]);
    expect(result.code).toBe(0);
    const [summary] = JSON.parse(result.stdout) as { embeddingModel: string; chunks: { embedded: number } }[];
    expect(summary?.embeddingModel).toBe("fake-embedding");
    expect(summary?.chunks.embedded).toBeGreaterThan(0);
    expect(await embeddedChunks()).toBe(summary?.chunks.embedded);
  });

  it("none: the same source again, lexical only (the vectors of the other model are cleared)", async () => {
    const result = await run(["--embedder", "none", "--database-url", database.url, dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("none: lexical-only index");
    expect(await embeddedChunks()).toBe(0);
  });

  it("an unknown value: exit 2 with the usage, nothing loaded", async () => {
    await database.db.execute(sql`truncate kb_chunks, kb_docs, kb_sources`);
    const result = await run(["--embedder", "openai", "--database-url", database.url, dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--embedder openai: expected local, fake, env, none");
    const rows = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from kb_docs`);
    expect(Number(rows[0]?.n)).toBe(0);
  });
});
