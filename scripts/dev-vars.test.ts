/**
 * README's "a real model" path, as a newcomer takes it: settings and secrets in a .dev.vars file next to the
 * Wrangler config reach the Worker under `wrangler dev`. Wrangler keeps only the .dev.vars keys that
 * wrangler.jsonc declares, so this starts the real stack with a copy of the project's wrangler.jsonc in a
 * temporary folder beside a temporary .dev.vars, against a model endpoint that accepts only the key from it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRET_KEYS } from "../core/config.ts";
import { type LocalPostgres, startLocalPostgres } from "../db/local-postgres.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { type FakeLlm, startFakeLlm } from "../test-tools/fake-llm/server.ts";
import { hs256 } from "../test-tools/identity-token.ts";
import { startWranglerDev, type WranglerDev } from "./wrangler-dev.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const KEY = "sk-from-dev-vars-0123456789abcdef";
const ADMIN = "admin-token-from-dev-vars-0123";
const IDENTITY = {
  secret: "identity-secret-from-dev-vars-0123456789",
  issuer: "https://shop.devvars.example",
  audience: "https://agent.devvars.example",
};

let pg: LocalPostgres;
let llm: FakeLlm;
let dev: WranglerDev;
let folder: string;

beforeAll(async () => {
  pg = await startLocalPostgres();
  await migrateDatabase(pg.url);
  llm = await startFakeLlm({ apiKey: KEY });
  folder = mkdtempSync(join(tmpdir(), "dev-vars-"));
  const config = readFileSync(join(root, "wrangler.jsonc"), "utf8").replace(
    /"main": "([^"]+)"/,
    (_, main: string) => `"main": ${JSON.stringify(join(root, main))}`,
  );
  writeFileSync(join(folder, "wrangler.jsonc"), config);
  writeFileSync(
    join(folder, ".dev.vars"),
    [
      `LLM_BASE_URL=${llm.url}`,
      "LLM_MODEL=devvars-model",
      `LLM_API_KEY=${KEY}`,
      `ADMIN_TOKEN=${ADMIN}`,
      `IDENTITY_SECRET=${IDENTITY.secret}`,
      `IDENTITY_ISSUER=${IDENTITY.issuer}`,
      `IDENTITY_AUDIENCE=${IDENTITY.audience}`,
      "SLACK_WEBHOOK_URL=https://hooks.slack.example/services/T0/B0/devvars",
      "SLACK_BOT_TOKEN=xoxb-devvars-0123",
      "SLACK_SIGNING_SECRET=devvars-signing-secret",
      "EMBEDDINGS_API_KEY=sk-embeddings-devvars-0123",
      "WOOCOMMERCE_CONSUMER_KEY=ck_devvars_0123",
      "WOOCOMMERCE_CONSUMER_SECRET=cs_devvars_0123",
      "",
    ].join("\n"),
  );
  dev = await startWranglerDev({ databaseUrl: pg.url, config: join(folder, "wrangler.jsonc") });
}, 120_000);

afterAll(async () => {
  await dev?.stop();
  await llm?.close();
  await pg?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe(".dev.vars", () => {
  it("gives the model endpoint the key from .dev.vars, so a real provider answers", async () => {
    llm.addRule({ match: "hello from dev vars", responses: [{ text: "Hello from the configured model." }] });
    const response = await fetch(`${dev.url}/api/agent/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "hello from dev vars" }),
    });
    expect(response.status).toBe(201);
    const reply = (await response.json()) as { message: { content: string; meta: Record<string, unknown> } };
    expect(reply.message.content).toBe("Hello from the configured model.");
    expect(reply.message.meta).toMatchObject({ brain: "llm", model: "devvars-model", outcome: "answered" });
  });

  it("opens the admin endpoints with ADMIN_TOKEN and signs visitors in with IDENTITY_SECRET", async () => {
    const admin = await fetch(`${dev.url}/api/admin/kb`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(admin.status).toBe(200);
    const now = Math.floor(Date.now() / 1000);
    const token = await hs256(
      { alg: "HS256", typ: "JWT" },
      {
        iss: IDENTITY.issuer,
        aud: IDENTITY.audience,
        sub: "dev-1",
        email: "dev@example.com",
        iat: now,
        exp: now + 300,
      },
      IDENTITY.secret,
    );
    const threads = await fetch(`${dev.url}/api/agent/threads`, { headers: { "x-identity-token": token } });
    expect(threads.status).toBe(200);
  });

  it("reaches the Worker with every secret, and /readyz names no config problem", async () => {
    const response = await fetch(`${dev.url}/readyz`);
    const body = (await response.json()) as {
      checks: { config: { ok: boolean; problems: unknown[]; secretsSet: string[] }; model: { ok: boolean } };
    };
    expect(body.checks.config).toEqual({ ok: true, problems: [], secretsSet: [...SECRET_KEYS] });
    expect(body.checks.model.ok).toBe(true);
    expect(JSON.stringify(body)).not.toContain(KEY);
  });
});
