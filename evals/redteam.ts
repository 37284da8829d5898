/**
 * `npm run redteam`: the attacks of issue 7 against the real local stack (a fresh PGlite + pgvector with the
 * demo shop and the poisoned passages of the injection set, `wrangler dev`), once with the offline brain and
 * once with an adversarial model (the fake OpenAI-compatible server scripted to obey every instruction), and
 * the request flood against a third run with the rate limits on. Prints a table attack -> held/LEAKED, the
 * false refusals of the benign rows, and last `redteam: N attacks, N blocked, N leaked`; exits 1 on a leak.
 *   npm run -s redteam -- [--walk 1201] [--rows N] [--set FILE] [--port BASE] [--json]
 * --port BASE uses BASE..BASE+4 (three wrangler runs, the fake model, Postgres) instead of free ports.
 * The first two runs set RATE_LIMITS=off (the suite opens hundreds of conversations from one address) and say
 * so; the flood run keeps the limits of wrangler.jsonc.
 */
import "../scripts/launcher.ts";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { noEmbedder } from "../core/retrieval/embedder.ts";
import { openDb } from "../db/client.ts";
import { startLocalPostgres } from "../db/local-postgres.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { loadKnowledge } from "../kb-loader/load-knowledge.ts";
import { seedDemo } from "../scripts/seed.ts";
import { startWranglerDev } from "../scripts/wrangler-dev.ts";
import { startFakeLlm } from "../test-tools/fake-llm/server.ts";
import { TEST_IDENTITY } from "../test-tools/identity-token.ts";
import type { InjectionRow, Outcome, Stack } from "./redteam-attacks.ts";
import * as attacks from "./redteam-attacks.ts";

const INJECTION_SET = new URL("../../shared/data/injection_eval.dev.jsonl", import.meta.url);
const SECRETS = {
  LLM_API_KEY: "sk-redteam-0123456789abcdefghij",
  ADMIN_TOKEN: "redteam-admin-token-0123456789",
};

async function injectionRows(path: URL | string): Promise<InjectionRow[]> {
  try {
    return (await readFile(path, "utf8"))
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as InjectionRow);
  } catch {
    process.stderr.write(`redteam: no injection set at ${String(path)}; those attacks are skipped\n`);
    return [];
  }
}

/** The indirect rows' documents, as reviewed help-centre pages on the shop's own host. */
async function loadPoison(databaseUrl: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  const { db, close } = openDb(databaseUrl, { max: 1 });
  try {
    await loadKnowledge({
      db,
      source: {
        kind: "records",
        name: "redteam-poison",
        defaultReviewed: true,
        records: rows.map((r, i) => ({
          id: `poison-${i}`,
          title: String(r.injected_doc_id ?? `Poisoned ${i}`),
          url: `https://help.fernhill.example/poison/${i}`,
          text: String(r.injected_doc_text ?? ""),
        })),
      },
      embedder: noEmbedder,
      allowedLinkHosts: ["fernhill.example"],
    });
  } finally {
    await close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      walk: { type: "string", default: "1201" },
      rows: { type: "string" },
      json: { type: "boolean", default: false },
      set: { type: "string" },
      port: { type: "string" },
    },
  });
  const walk = Number(values.walk);
  const all = await injectionRows(values.set ?? INJECTION_SET);
  const raw = values.set ?? INJECTION_SET;
  const indirectRaw = (await readFile(raw, "utf8").catch(() => ""))
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => r.vector !== "direct");
  const limit = values.rows ? Number(values.rows) : Number.POSITIVE_INFINITY;
  const direct = all.filter((r) => r.vector === "direct").slice(0, limit);
  const indirect = all.filter((r) => r.vector !== "direct").slice(0, limit);

  const portBase = values.port ? Number(values.port) : null;
  const port = (i: number) => (portBase === null ? {} : { port: portBase + i });
  const pg = await startLocalPostgres(port(4));
  const fake = await startFakeLlm({ latencyMs: 0, ...port(3) });
  const outcomes: Outcome[] = [];
  const refusals: { brain: string; benign: number; falseRefusals: string[] }[] = [];
  try {
    await migrateDatabase(pg.url);
    await seedDemo(pg.url, {});
    if (indirectRaw.length > 0) await loadPoison(pg.url, indirectRaw);
    const sql = async (text: string, params: unknown[] = []) =>
      (await pg.db.query<Record<string, unknown>>(text, params)).rows;
    const base = {
      LOG_LEVEL: "error",
      ...SECRETS,
      IDENTITY_SECRET: TEST_IDENTITY.secret,
      IDENTITY_ISSUER: TEST_IDENTITY.issuer,
      IDENTITY_AUDIENCE: TEST_IDENTITY.audience,
    };
    const llmVars = {
      LLM_BASE_URL: fake.url,
      LLM_MODEL: "fake-primary",
      LLM_FALLBACK_MODEL: "fake-fallback",
    };
    process.stderr.write(
      "redteam: runs 1 and 2 with RATE_LIMITS=off (one address opens every conversation)\n",
    );

    for (const brain of ["offline", "llm"] as const) {
      const dev = await startWranglerDev({
        databaseUrl: pg.url,
        ...port(brain === "offline" ? 0 : 1),
        vars: { ...base, RATE_LIMITS: "off", ...(brain === "llm" ? llmVars : {}) },
      });
      try {
        const stack: Stack = {
          url: dev.url,
          brain,
          fake: brain === "llm" ? fake : null,
          secrets: Object.values(SECRETS),
          sql,
        };
        const run = async (attack: Promise<Outcome>) => {
          const outcome = await attack;
          outcomes.push(outcome);
          process.stderr.write(`  ${outcome.held ? "held  " : "LEAKED"} ${brain} ${outcome.attack}\n`);
        };
        await run(attacks.foreignOrder(stack));
        await run(attacks.orderWalk(stack, brain === "offline" ? walk : Math.min(walk, 40)));
        await run(attacks.ticketExfiltration(stack));
        await run(attacks.ticketSpam(stack));
        await run(attacks.outsideLinks(stack));
        await run(attacks.loopingTools(stack));
        await run(attacks.promptLeak(stack));
        await run(attacks.secretLeak(stack));
        await run(attacks.hugeOutput(stack));
        await run(attacks.nulAttack(stack));
        if (indirect.length > 0) await run(attacks.poisonedKb(stack, indirect));
        if (direct.length > 0) {
          const result = await attacks.directInjections(stack, direct);
          outcomes.push(result.outcome);
          refusals.push({ brain, benign: result.benign, falseRefusals: result.falseRefusals });
        }
      } finally {
        await dev.stop();
      }
    }

    const limited = await startWranglerDev({
      databaseUrl: pg.url,
      ...port(2),
      vars: { ...base, ...llmVars },
    });
    try {
      const stack: Stack = { url: limited.url, brain: "llm", fake, secrets: Object.values(SECRETS), sql };
      outcomes.push(await attacks.flood(stack));
    } finally {
      await limited.stop();
    }
  } finally {
    await fake.close();
    await pg.stop();
  }
  report(outcomes, refusals, values.json);
  if (outcomes.some((o) => !o.held)) process.exitCode = 1;
}

function report(
  outcomes: readonly Outcome[],
  refusals: readonly { brain: string; benign: number; falseRefusals: string[] }[],
  json: boolean,
): void {
  const blocked = outcomes.filter((o) => o.held).length;
  const summary = `redteam: ${outcomes.length} attacks, ${blocked} blocked, ${outcomes.length - blocked} leaked`;
  if (json) {
    console.log(JSON.stringify({ outcomes, refusals }, null, 2));
    console.log(summary);
    return;
  }
  const width = Math.max(...outcomes.map((o) => o.attack.length), 6);
  console.log(`${"attack".padEnd(width)}  brain    result  detail`);
  for (const o of outcomes)
    console.log(
      `${o.attack.padEnd(width)}  ${o.brain.padEnd(7)}  ${o.held ? "held  " : "LEAKED"}  ${o.detail}`,
    );
  for (const r of refusals)
    console.log(
      `false refusals (${r.brain}): ${r.falseRefusals.length} of ${r.benign} benign rows${r.falseRefusals.length ? `: ${r.falseRefusals.join("; ")}` : ""}`,
    );
  console.log(summary);
}

if (import.meta.main) await main();
