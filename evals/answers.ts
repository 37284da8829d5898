/**
 * Answer eval, end to end through the real API: a fresh in-memory PGlite + pgvector with the demo shop, `wrangler
 * dev` with the configured brain (the offline brain unless LLM_* is set), and every golden case of
 * evals/golden/answers.jsonl played as a visitor would, each in its own thread (signed in through the site when
 * the case says so). The last turn's reply is scored by evals/answers-score.ts. Prints correctness overall and
 * per category and language, for the dev and test halves. Run by hand and by CI:
 *   npm run -s eval:answers -- [--cases FILE] [--split dev|test|all] [--embedder local|fake|env|none] [--json] [--verbose]
 * --embedder local (the default) serves the local sentence-embedding model as `npm start` does; none indexes the
 * help centre lexical only; fake and env as in scripts/embedder-choice.ts. --verbose lists each failing case with
 * its reply on stderr.
 */
import "../scripts/launcher.ts";
import { parseArgs } from "node:util";
import { z } from "zod";
import { startLocalPostgres } from "../db/local-postgres.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { EMBEDDER_FLAG, parseEmbedderChoice, startEmbeddings } from "../scripts/embedder-choice.ts";
import { seedDemo } from "../scripts/seed.ts";
import { startWranglerDev } from "../scripts/wrangler-dev.ts";
import { mintIdentityToken, TEST_IDENTITY } from "../test-tools/identity-token.ts";
import { type AnswerCase, answerCaseSchema, type CaseScore, scoreCase, tallyBy } from "./answers-score.ts";
import { readInputFile } from "./input-file.ts";

const DEFAULT_CASES = new URL("./golden/answers.jsonl", import.meta.url);

interface Turn {
  text: string;
  tools: string[];
  citedDocs: string[];
  brain: string | undefined;
}

const replySchema = z.object({
  thread_id: z.string(),
  thread_token: z.string().optional(),
  message: z.object({
    content: z.string(),
    citations: z.array(z.object({ docId: z.string() })),
    meta: z.object({ brain: z.string().optional() }).loose(),
  }),
});

export function parseCases(text: string): AnswerCase[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, i) => {
      const parsed = answerCaseSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`case on line ${i + 1}: ${z.prettifyError(parsed.error)}`);
      return parsed.data;
    });
}

/** One message through POST /api/agent/messages as a stream, so the tools the turn ran are seen too. */
async function post(
  baseUrl: string,
  message: string,
  thread: { id: string; token: string } | null,
  identityToken: string | null,
): Promise<{ thread: { id: string; token: string }; turn: Turn }> {
  const response = await fetch(`${baseUrl}/api/agent/messages`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "text/event-stream",
      ...(thread ? { authorization: `Bearer ${thread.token}` } : {}),
      ...(identityToken ? { "x-identity-token": identityToken } : {}),
    },
    body: JSON.stringify(thread ? { message, thread_id: thread.id } : { message }),
  });
  if (!response.ok) throw new Error(`the API answered ${response.status}: ${await response.text()}`);
  const tools: string[] = [];
  let threadOut = thread;
  let final: z.infer<typeof replySchema> | null = null;
  for (const block of (await response.text()).split("\n\n")) {
    const event = /^event: (.*)$/m.exec(block)?.[1];
    const data = /^data: (.*)$/m.exec(block)?.[1];
    if (!event || data === undefined) continue;
    const json: unknown = JSON.parse(data);
    if (event === "thread") {
      const t = z.object({ thread_id: z.string(), thread_token: z.string().optional() }).parse(json);
      threadOut = { id: t.thread_id, token: t.thread_token ?? "" };
    } else if (event === "status") {
      const s = z
        .object({ stage: z.string(), tool: z.string().optional(), state: z.string().optional() })
        .parse(json);
      if (s.stage === "tool" && s.state === "started" && s.tool) tools.push(s.tool);
    } else if (event === "message") final = replySchema.parse(json);
    else if (event === "error") throw new Error(`the turn failed: ${data}`);
  }
  if (!final || !threadOut) throw new Error("the stream ended without a reply");
  return {
    thread: threadOut,
    turn: {
      text: final.message.content,
      tools: [...new Set(tools)],
      citedDocs: final.message.citations.map((c) => c.docId),
      brain: final.message.meta.brain,
    },
  };
}

async function play(baseUrl: string, c: AnswerCase): Promise<Turn> {
  let thread: { id: string; token: string } | null = null;
  let last: Turn | null = null;
  for (const message of c.turns) {
    // A fresh token per message: they live five minutes, and a run can take longer.
    const identity = c.signed_in ? await mintIdentityToken(`eval-${c.signed_in}`, c.signed_in) : null;
    const result = await post(baseUrl, message, thread, identity);
    thread = result.thread;
    last = result.turn;
  }
  if (!last) throw new Error(`case ${c.id} has no turns`);
  return last;
}

export interface CaseResult {
  item: AnswerCase;
  score: CaseScore;
  reply: Turn;
}

export function answerReport(results: readonly CaseResult[]) {
  const half = (split: "dev" | "test") => {
    const rows = results.filter((r) => r.item.split === split);
    const overall = tallyBy(rows, () => "all").all ?? { cases: 0, correct: 0, accuracy: 0 };
    const failedChecks: Record<string, number> = {};
    for (const r of rows)
      for (const check of r.score.failed) failedChecks[check] = (failedChecks[check] ?? 0) + 1;
    const words = rows.map((r) => r.score.words).sort((a, b) => a - b);
    return {
      ...overall,
      by_category: tallyBy(rows, (c) => c.category),
      by_lang: tallyBy(rows, (c) => c.lang),
      failed_checks: failedChecks,
      median_words: words[Math.floor(words.length / 2)] ?? 0,
      over_120_words: words.filter((w) => w > 120).length,
    };
  };
  return { cases: results.length, dev: half("dev"), test: half("test") };
}

function printTable(report: ReturnType<typeof answerReport>, brain: string, embedder: string): void {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
  const cell = (t: { cases: number; accuracy: number } | undefined) =>
    t ? `${pct(t.accuracy)} of ${String(t.cases).padStart(3)}` : "       -      ";
  console.log(`brain ${brain}, embeddings ${embedder}: ${report.cases} cases`);
  console.log(`${"".padEnd(16)}${"dev".padStart(14)}  ${"test".padStart(14)}`);
  console.log(`${"overall".padEnd(16)}${cell(report.dev)}  ${cell(report.test)}`);
  for (const group of ["by_category", "by_lang"] as const) {
    console.log(group === "by_category" ? "\ncategory" : "\nlanguage");
    const keys = [...new Set([...Object.keys(report.dev[group]), ...Object.keys(report.test[group])])].sort();
    for (const k of keys)
      console.log(`  ${k.padEnd(14)}${cell(report.dev[group][k])}  ${cell(report.test[group][k])}`);
  }
  console.log(
    `\nfailed checks: dev ${JSON.stringify(report.dev.failed_checks)}, test ${JSON.stringify(report.test.failed_checks)}`,
  );
  console.log(
    `reply length: median ${report.dev.median_words}/${report.test.median_words} words, over 120 words: ${report.dev.over_120_words}/${report.test.over_120_words}`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cases: { type: "string" },
      split: { type: "string", default: "all" },
      embedder: { type: "string" },
      json: { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
    },
  });
  const choice = parseEmbedderChoice(values.embedder, "local");
  if (!["dev", "test", "all"].includes(values.split) || !choice) {
    process.stderr.write(
      `usage: eval:answers -- [--cases FILE] [--split dev|test|all] [${EMBEDDER_FLAG}] [--json] [--verbose]\n`,
    );
    process.exit(2);
  }
  const all = parseCases(await readInputFile(values.cases ?? DEFAULT_CASES));
  const cases = values.split === "all" ? all : all.filter((c) => c.split === values.split);
  const embeddings = await startEmbeddings(choice);
  const embeddingVars = embeddings.settings;
  const pg = await startLocalPostgres();
  const results: CaseResult[] = [];
  let brain = "unknown";
  try {
    await migrateDatabase(pg.url);
    // No ambient EMBEDDINGS_* or LLM_* from the shell: the eval measures what it says it measures.
    await seedDemo(pg.url, embeddingVars);
    const dev = await startWranglerDev({
      databaseUrl: pg.url,
      vars: {
        LOG_LEVEL: "error",
        // The eval opens a conversation per case from one address; the limits are tested elsewhere.
        RATE_LIMITS: "off",
        IDENTITY_SECRET: TEST_IDENTITY.secret,
        IDENTITY_ISSUER: TEST_IDENTITY.issuer,
        IDENTITY_AUDIENCE: TEST_IDENTITY.audience,
        ...embeddingVars,
      },
    });
    try {
      for (const c of cases) {
        const reply = await play(dev.url, c);
        brain = reply.brain ?? brain;
        const score = scoreCase(c.expect, reply);
        results.push({ item: c, score, reply });
        if (values.verbose && !score.correct) {
          process.stderr.write(
            `\n✗ ${c.id} [${c.split} ${c.category} ${c.lang}] ${c.turns.join(" / ")}\n  failed ${score.failed.join(", ")}` +
              `${score.missing.length ? `; missing ${score.missing.join("; ")}` : ""}` +
              `${score.forbidden.length ? `; forbidden ${score.forbidden.join("; ")}` : ""}` +
              `\n  tools ${reply.tools.join(",") || "none"}, cited ${reply.citedDocs.join(",") || "nothing"}\n  ${reply.text.replaceAll("\n", "\n  ")}\n`,
          );
        }
      }
    } finally {
      await dev.stop();
    }
  } finally {
    await pg.stop();
    await embeddings.close();
  }
  const report = answerReport(results);
  if (values.json) console.log(JSON.stringify({ brain, embeddings: choice, ...report }, null, 2));
  else printTable(report, brain, choice);
}

if (import.meta.main) await main();
