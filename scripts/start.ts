/**
 * `npm start`: the whole agent on this machine. A local Postgres with pgvector (PGlite, data kept in .data/pg),
 * migrations, the local sentence-embedding model on loopback (scripts/local-embeddings.ts; EMBEDDINGS=none or
 * an EMBEDDINGS_* provider turns it off), the demo shop (orders and help centre), then `wrangler dev` with the
 * Worker, Durable Objects and Queues, and the local mail outbox (every email the agent sends is also written to
 * .data/mail/outbox/*.eml). Set DATABASE_URL to use your own Postgres with pgvector instead of PGlite; model
 * settings come from .dev.vars (see .dev.vars.example).
 */
import "./launcher.ts";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startLocalPostgres } from "../db/local-postgres.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { started, step, stopAll } from "./lifecycle.ts";
import { localEmbeddingSettings, startLocalEmbeddings, wantsLocalEmbeddings } from "./local-embeddings.ts";
import { startMailOutbox } from "./mail-outbox.ts";
import { seedDemo } from "./seed.ts";
import { startWranglerDev } from "./wrangler-dev.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const port = Number(process.env.PORT ?? 8787);
// Where PGlite and wrangler keep their state; another folder runs a second, separate local agent.
const dataDir = process.env.DATA_DIR ?? `${root}.data`;

console.log(process.env.DATABASE_URL ? "starting: DATABASE_URL" : "starting: local Postgres (PGlite)");
const local = process.env.DATABASE_URL
  ? null
  : await started(
      startLocalPostgres({ dataDir: `${dataDir}/pg`, port: Number(process.env.LOCAL_DB_PORT ?? 54329) }),
      (pg) => pg.stop(),
    );
const databaseUrl = process.env.DATABASE_URL ?? local?.url ?? "";
console.log(
  local ? `postgres: PGlite + pgvector on ${local.url} (data in ${dataDir}/pg)` : "postgres: DATABASE_URL",
);

// The real offline sentence-embedding model for hybrid search, unless the shell or .dev.vars names a provider.
const devVars = existsSync(`${root}.dev.vars`) ? readFileSync(`${root}.dev.vars`, "utf8") : "";
const embeddings = wantsLocalEmbeddings(process.env, devVars)
  ? await started(startLocalEmbeddings({ port: Number(process.env.LOCAL_EMBEDDINGS_PORT ?? 0) }), (e) =>
      e.close(),
    )
  : null;
const embeddingVars = embeddings ? localEmbeddingSettings(embeddings) : {};
console.log(
  embeddings
    ? `embeddings: local model ${embeddings.model} (${embeddings.dimensions}-d) on ${embeddings.url}`
    : "embeddings: as configured (EMBEDDINGS_*), lexical only when none",
);

await step(migrateDatabase(databaseUrl));
const seeded = await step(seedDemo(databaseUrl, { ...process.env, ...embeddingVars }));
console.log(
  `demo data: ${seeded.orders} orders, ${seeded.articles} help-centre articles (${seeded.chunks} chunks)`,
);

// A Worker cannot write files: it POSTs each email it sends here, and this writes the .eml.
const outboxDir = `${dataDir}/mail/outbox`;
const outbox = await started(startMailOutbox({ dir: outboxDir }), (o) => o.close());

// startWranglerDev registers its own stop as soon as wrangler is spawned.
const dev = await step(
  startWranglerDev({
    databaseUrl,
    port,
    persistTo: `${dataDir}/wrangler`,
    echo: true,
    // A local WordPress or test receiver may take webhooks over plain http on loopback.
    vars: { WEBHOOKS_ALLOW_LOOPBACK: "true", MAIL_OUTBOX_URL: outbox.url, ...embeddingVars },
  }),
);
console.log(`\nSupport agent running at ${dev.url}  (demo shop page: ${dev.url}/)`);
for (const line of await step(readinessReport(dev.url))) console.log(line);
console.log(
  `Try: curl -s ${dev.url}/api/agent/messages -H 'content-type: application/json' -d '{"message":"How long do refunds take?"}'`,
);
console.log(
  `Email: curl -s '${dev.url}/cdn-cgi/handler/email?from=ana@example.com&to=support@fernhill.example' --data-binary @message.eml  (replies in ${outboxDir})\n`,
);

// wrangler ending on its own (a crash, a port taken) ends npm start too, after the database is closed.
dev.process.once("exit", (code) => void stopAll(code ?? 1));

/** What /readyz says is not ready, one line each (config problems by key name). */
async function readinessReport(url: string): Promise<string[]> {
  try {
    const body = (await (await fetch(`${url}/readyz`)).json()) as {
      ready: boolean;
      checks: {
        config: { problems: { key: string; problem: string }[] };
        database: { ok: boolean };
        knowledge: { ok: boolean; reason: string | null };
        model: { ok: boolean; status: number | null } | null;
      };
    };
    if (body.ready) return [`ready: config, database, help centre${body.checks.model ? ", model" : ""}`];
    const { checks } = body;
    return [
      "NOT READY (GET /readyz):",
      ...checks.config.problems.map((p) => `  config: ${p.key} ${p.problem}`),
      ...(checks.database.ok ? [] : ["  database: not reachable"]),
      ...(checks.knowledge.ok ? [] : [`  help centre: ${checks.knowledge.reason ?? "unavailable"}`]),
      ...(checks.model && !checks.model.ok
        ? [
            `  model: the endpoint answered ${checks.model.status ?? "nothing"} (check LLM_BASE_URL, LLM_API_KEY)`,
          ]
        : []),
    ];
  } catch (error) {
    return [
      `readiness: /readyz could not be read (${error instanceof Error ? error.message : String(error)})`,
    ];
  }
}
