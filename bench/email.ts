/**
 * `npm run bench:email`: the email turn as a user sees it locally, from delivery to reply written. A local PGlite
 * + pgvector with the demo shop, the mail outbox (scripts/mail-outbox.ts, in a temporary folder) and `wrangler
 * dev`; each email is POSTed raw to wrangler's `/cdn-cgi/handler/email` (what Email Routing does in production)
 * and the clock stops when its reply is in the outbox. The brain is the offline one (a fresh clone has no
 * model), so the figure is the channel and the turn without a model's latency. BENCH_EMAILS emails (default 20),
 * one at a time, each from its own sender. Prints p50 and p95.
 */
import "../scripts/launcher.ts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalPostgres } from "../db/local-postgres.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { percentiles } from "../evals/retrieval-metrics.ts";
import { started, step } from "../scripts/lifecycle.ts";
import { startMailOutbox } from "../scripts/mail-outbox.ts";
import { seedDemo } from "../scripts/seed.ts";
import { startWranglerDev } from "../scripts/wrangler-dev.ts";

const EMAILS = Number(process.env.BENCH_EMAILS ?? 20);
const QUESTIONS = [
  "How long does a refund take?",
  "How long does delivery to Germany take?",
  "Can I return sale items?",
  "Where is my order FH-100231? My email is ana.kovac@example.com",
];

const pg = await started(startLocalPostgres(), (p) => p.stop());
await step(migrateDatabase(pg.url));
await step(seedDemo(pg.url));
const outbox = await started(startMailOutbox({ dir: mkdtempSync(join(tmpdir(), "bench-outbox-")) }), (o) =>
  o.close(),
);
const dev = await step(
  startWranglerDev({
    databaseUrl: pg.url,
    // One machine sends every email: the per-sender limit is not what is measured (each sender differs anyway).
    vars: { LOG_LEVEL: "warn", RATE_LIMITS: "off", MAIL_OUTBOX_URL: outbox.url },
  }),
);

const times: number[] = [];
let failed = 0;
try {
  for (let i = 0; i < EMAILS; i++) {
    const from = `bench-${i}-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const raw = [
      `From: Bench <${from}>`,
      "To: support@fernhill.example",
      "Subject: A question",
      `Message-ID: <bench-${crypto.randomUUID()}@example.com>`,
      `Date: ${new Date().toUTCString()}`,
      "",
      QUESTIONS[i % QUESTIONS.length] ?? "",
      "",
    ].join("\r\n");
    const t0 = performance.now();
    const delivered = await fetch(
      `${dev.url}/cdn-cgi/handler/email?from=${encodeURIComponent(from)}&to=support@fernhill.example`,
      { method: "POST", body: raw },
    );
    await delivered.text();
    if (!(await replyWritten(from, t0 + 10_000))) {
      failed += 1;
      continue;
    }
    times.push(performance.now() - t0);
  }
} finally {
  await dev.stop();
  await outbox.close();
  await pg.stop();
}

const { p50, p95 } = percentiles(times);
console.log(
  `email turn (delivery -> reply written, wrangler dev, offline brain): p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, n=${times.length}${failed ? `, ${failed} without a reply` : ""}`,
);
if (failed > 0) process.exitCode = 1;

/** Polls the outbox until a reply to `to` is there, or the deadline passes. */
async function replyWritten(to: string, deadline: number): Promise<boolean> {
  while (performance.now() < deadline) {
    const mails = (await (await fetch(`${outbox.url}?to=${encodeURIComponent(to)}`)).json()) as unknown[];
    if (mails.length > 0) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}
