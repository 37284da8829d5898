/**
 * The agent the browser tests talk to. With E2E_BASE_URL set (e.g. a running `npm start`), that one, and its
 * database at E2E_DATABASE_URL (default: npm start's PGlite on 127.0.0.1:54329). Otherwise a private stack
 * like `npm start` builds, but isolated so it can run next to one: an in-memory PGlite on a free port,
 * migrated and seeded with the demo shop, and `wrangler dev` on a free port with its own storage directory,
 * ALLOWED_ORIGINS and identity settings passed as --var. Used by run.ts.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { startLocalPostgres } from "../../db/local-postgres.ts";
import { migrateDatabase } from "../../db/migrate.ts";
import { seedDemo } from "../../scripts/seed.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

export const E2E_ALLOWED_ORIGIN = "https://shop.e2e.example";
export const E2E_IDENTITY = {
  secret: "e2e-identity-secret-that-is-long-enough-0123456789",
  issuer: "https://shop.e2e.example",
  audience: "https://agent.e2e.example",
};

export interface Stack {
  baseUrl: string;
  databaseUrl: string;
  /** True when this run started the stack, so its settings (allowed origin, identity) are known. */
  own: boolean;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(baseUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the agent did not answer ${baseUrl}/healthz within ${timeoutMs / 1000} s`);
}

/**
 * A page on another origin that embeds the widget with the one-line snippet, like a customer's shop. Started
 * before the agent so its origin can be put in ALLOWED_ORIGINS; the agent's URL is filled in per request.
 * `?identity=<jwt>` plays a signed-in visitor: the token goes into window.SupportAgentConfig before the
 * widget script, as the WordPress plugin puts it.
 */
export async function startHostPage(
  agentBase: () => string,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createHttpServer((req, res) => {
    const identity = new URL(req.url ?? "/", "http://host.invalid").searchParams.get("identity");
    // A JWT's alphabet only, so the token cannot break out of the script it is written into.
    const config =
      identity && /^[\w.-]+$/.test(identity)
        ? `<script>window.SupportAgentConfig = ${JSON.stringify({ identityToken: identity })};</script>`
        : "";
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Another shop</title></head>
<body><main><h1>Another shop</h1><p>Embeds the agent from another origin.</p></main>${config}
<script src="${agentBase()}/widget.js" async data-title="Shop help" data-color="#ffd400"></script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function startStack(log: (line: string) => void, extraOrigins: string[] = []): Promise<Stack> {
  const external = process.env.E2E_BASE_URL;
  if (external) {
    return {
      baseUrl: external.replace(/\/+$/, ""),
      databaseUrl: process.env.E2E_DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:54329/postgres",
      own: false,
      stop: async () => {},
    };
  }
  const pg = await startLocalPostgres({ port: 0 });
  await migrateDatabase(pg.url);
  const seeded = await seedDemo(pg.url);
  log(`stack: PGlite on ${pg.url} (${seeded.orders} orders, ${seeded.chunks} KB chunks)`);
  const port = await freePort();
  const persist = mkdtempSync(`${tmpdir()}/support-agent-e2e-`);
  const vars = {
    ALLOWED_ORIGINS: [E2E_ALLOWED_ORIGIN, ...extraOrigins].join(","),
    IDENTITY_SECRET: E2E_IDENTITY.secret,
    IDENTITY_ISSUER: E2E_IDENTITY.issuer,
    IDENTITY_AUDIENCE: E2E_IDENTITY.audience,
  };
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persist];
  args.push("--show-interactive-dev-session=false", "--log-level", "warn");
  for (const [key, value] of Object.entries(vars)) args.push("--var", `${key}:${value}`);
  // Only to try the widget before the Worker mounts its routes: an alternative entry (see README).
  if (process.env.E2E_WORKER_ENTRY) args.splice(1, 0, process.env.E2E_WORKER_ENTRY);
  const child = spawn("wrangler", args, {
    cwd: root,
    // Its own process group, so stopping it also stops workerd and nothing else.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: pg.url,
    },
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    await pg.stop();
    rmSync(persist, { recursive: true, force: true });
  };
  try {
    await waitForHealth(baseUrl, child, 90_000);
  } catch (error) {
    log(output.join("").slice(-4000));
    await stop();
    throw error;
  }
  log(`stack: wrangler dev on ${baseUrl}`);
  return { baseUrl, databaseUrl: pg.url, own: true, stop };
}
