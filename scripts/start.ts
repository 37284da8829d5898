/**
 * `npm start`: the whole agent on this machine. A local Postgres with pgvector (PGlite, data kept in .data/pg),
 * migrations, the demo shop (orders and help centre), then `wrangler dev` with the Worker, Durable Objects and
 * Queues. Set DATABASE_URL to use your own Postgres with pgvector instead of PGlite.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startLocalPostgres } from "../db/local-postgres.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { seedDemo } from "./seed.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const port = Number(process.env.PORT ?? 8787);
const dbPort = Number(process.env.LOCAL_DB_PORT ?? 54329);

const local = process.env.DATABASE_URL
  ? null
  : await startLocalPostgres({ dataDir: `${root}.data/pg`, port: dbPort });
const databaseUrl = process.env.DATABASE_URL ?? local?.url ?? "";
console.log(local ? `postgres (PGlite + pgvector) on ${local.url}` : "postgres from DATABASE_URL");

await migrateDatabase(databaseUrl);
const seeded = await seedDemo(databaseUrl);
console.log(
  `demo data: ${seeded.orders} orders, ${seeded.articles} help-centre articles (${seeded.chunks} chunks)`,
);

const wrangler = spawn(
  "wrangler",
  [
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--persist-to",
    ".data/wrangler",
    "--show-interactive-dev-session=false",
  ],
  {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: databaseUrl,
    },
  },
);
let announced = false;
wrangler.stdout.on("data", (chunk: Buffer) => {
  process.stdout.write(chunk);
  if (!announced && chunk.toString().includes("Ready on")) {
    announced = true;
    console.log(
      `\nSupport agent running at http://127.0.0.1:${port}\n  try: curl -s http://127.0.0.1:${port}/api/agent/messages -H 'content-type: application/json' -d '{"message":"How long do refunds take?"}'\n`,
    );
  }
});

const stop = async () => {
  wrangler.kill("SIGTERM");
  await local?.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
wrangler.on("exit", async (code) => {
  await local?.stop();
  process.exit(code ?? 1);
});
