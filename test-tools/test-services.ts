/**
 * The services Workers tests run against, in their own Node process: an in-memory PGlite + pgvector migrated
 * and seeded with the demo shop, a fault proxy in front of it, the fake OpenAI-compatible server, a fake
 * Cloudflare Access team domain, the fake Slack API and a webhook receiver. Prints one JSON line with their
 * URLs, then serves until stdin closes or SIGTERM. Started by workers-setup.ts; a separate process keeps
 * Node-only drivers out of the Workers build and the database off the test runner's event loop.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalPostgres } from "../db/local-postgres.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { startMailOutbox } from "../scripts/mail-outbox.ts";
import { seedDemo } from "../scripts/seed.ts";
import { startFakeAccess } from "./fake-access/server.ts";
import { startFakeLlm } from "./fake-llm/server.ts";
import { startFakeSlack } from "./fake-slack/server.ts";
import { startFaultProxy } from "./pg-fault-proxy.ts";
import { startWebhookReceiver } from "./webhook-receiver.ts";

const pg = await startLocalPostgres();
await migrateDatabase(pg.url);
await seedDemo(pg.url);
const target = new URL(pg.url);
const proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) });
const llm = await startFakeLlm({ latencyMs: 0 });
const access = await startFakeAccess();
const slack = await startFakeSlack();
const outbox = await startMailOutbox({ dir: mkdtempSync(join(tmpdir(), "test-outbox-")) });
const receiver = await startWebhookReceiver();

console.log(
  JSON.stringify({
    databaseUrl: proxy.url,
    directDatabaseUrl: pg.url,
    faultControlUrl: proxy.controlUrl,
    fakeLlmUrl: llm.url,
    fakeAccessUrl: access.url,
    fakeSlackUrl: slack.url,
    mailOutboxUrl: outbox.url,
    webhookReceiverUrl: receiver.url,
  }),
);

const stop = async () => {
  await llm.close();
  await access.close();
  await slack.close();
  await outbox.close();
  await receiver.close();
  await proxy.close();
  await pg.stop();
  process.exit(0);
};
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
