/**
 * The agent the browser tests talk to. With E2E_BASE_URL set (e.g. a running `npm start`), that one, and its
 * database at E2E_DATABASE_URL (default: npm start's PGlite on 127.0.0.1:54329). Otherwise a private stack
 * like `npm start` builds, but isolated so it can run next to one: an in-memory PGlite on a free port,
 * migrated and seeded with the demo shop, and `wrangler dev` on a free port with its own storage directory,
 * ALLOWED_ORIGINS and identity settings passed as variables. Used by run.ts.
 */
import { createServer as createHttpServer } from "node:http";
import { startLocalPostgres } from "../../db/local-postgres.ts";
import { migrateDatabase } from "../../db/migrate.ts";
import { seedDemo } from "../../scripts/seed.ts";
import { startWranglerDev, type WranglerDev } from "../../scripts/wrangler-dev.ts";

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

export interface StackOptions {
  /** Ports for wrangler dev and PGlite; free ones when omitted. */
  port?: number;
  databasePort?: number;
  /** Variables over the defaults below (e.g. another site's identity issuer). */
  vars?: Record<string, string>;
}

export async function startStack(
  log: (line: string) => void,
  extraOrigins: string[] = [],
  options: StackOptions = {},
): Promise<Stack> {
  const external = process.env.E2E_BASE_URL;
  if (external) {
    return {
      baseUrl: external.replace(/\/+$/, ""),
      databaseUrl: process.env.E2E_DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:54329/postgres",
      own: false,
      stop: async () => {},
    };
  }
  const pg = await startLocalPostgres({ port: options.databasePort ?? 0 });
  await migrateDatabase(pg.url);
  const seeded = await seedDemo(pg.url);
  log(`stack: PGlite on ${pg.url} (${seeded.orders} orders, ${seeded.chunks} KB chunks)`);
  const vars = {
    ALLOWED_ORIGINS: [E2E_ALLOWED_ORIGIN, ...extraOrigins].join(","),
    IDENTITY_SECRET: E2E_IDENTITY.secret,
    IDENTITY_ISSUER: E2E_IDENTITY.issuer,
    IDENTITY_AUDIENCE: E2E_IDENTITY.audience,
    // The team is always in, so the steps never meet an out-of-hours follow-up at some hours of the day.
    SUPPORT_SCHEDULE: JSON.stringify({
      timeZone: "UTC",
      weekly: Object.fromEntries(
        ["sun", "mon", "tue", "wed", "thu", "fri", "sat"].map((d) => [d, ["00:00-24:00"]]),
      ),
    }),
    HANDOFF_WAIT_MINUTES: "60",
    ...options.vars,
  };
  let dev: WranglerDev;
  try {
    // E2E_WORKER_ENTRY: only to try the widget before the Worker mounts its routes (see README).
    dev = await startWranglerDev({
      databaseUrl: pg.url,
      vars,
      entry: process.env.E2E_WORKER_ENTRY,
      ...(options.port ? { port: options.port } : {}),
    });
  } catch (error) {
    await pg.stop();
    throw error;
  }
  const baseUrl = dev.url;
  const stop = async () => {
    await dev.stop();
    await pg.stop();
  };
  log(`stack: wrangler dev on ${baseUrl}`);
  return { baseUrl, databaseUrl: pg.url, own: true, stop };
}
