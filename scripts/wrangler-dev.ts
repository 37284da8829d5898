/**
 * Runs `wrangler dev` (workerd with the Worker, Durable Objects and Queues) against a given database and
 * optional extra variables, and resolves once it answers /healthz. Used by `npm start`, the benchmarks and
 * the browser tests. wrangler runs through ./tether.ts, so it and its workerd stop with this process however
 * this process ends, and a launcher's signal handler stops it through `onStop` (./lifecycle.ts).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { onStop } from "./lifecycle.ts";
import { spawnTethered, stopTethered } from "./tethered.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const READY_TIMEOUT_MS = 90_000;

export interface WranglerDev {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startWranglerDev(options: {
  databaseUrl: string;
  /** Omitted: a free port. */
  port?: number;
  /** Folder for Durable Object and queue state; a fresh temporary one, removed on stop, when omitted. */
  persistTo?: string;
  vars?: Record<string, string>;
  /** Pass wrangler's own output through (npm start) or keep it, shown only if start-up fails. */
  echo?: boolean;
  /** Another entry module instead of wrangler.jsonc's `main`. */
  entry?: string;
  /** Another Wrangler config file (its folder is where .dev.vars is read from). */
  config?: string;
}): Promise<WranglerDev> {
  const port = options.port ?? (await freePort());
  const temporary = options.persistTo ? null : mkdtempSync(join(tmpdir(), "agent-state-"));
  const args = [
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--persist-to",
    options.persistTo ?? temporary ?? "",
  ];
  args.push("--show-interactive-dev-session=false");
  if (options.entry) args.splice(1, 0, options.entry);
  if (options.config) args.push("--config", options.config);
  // --var, not an env file: values from an env file do not override the variables wrangler.jsonc declares.
  for (const [key, value] of Object.entries(options.vars ?? {})) args.push("--var", `${key}:${value}`);
  // The tether puts wrangler and workerd in a process group of their own and stops that group when asked to
  // or when its stdin (a pipe from this process) closes.
  // wrangler's own script on this Node (24), whatever PATH says: its shebang would pick the system's Node 20.
  const wrangler = join(root, "node_modules/wrangler/bin/wrangler.js");
  const child = spawnTethered(process.execPath, [wrangler, ...args], {
    cwd: root,
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: options.databaseUrl,
    },
  });
  const output: string[] = [];
  const onData = (chunk: Buffer) => {
    if (options.echo) process.stdout.write(chunk);
    else output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    release();
    await stopTethered(child);
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  };
  const release = onStop(stop);
  try {
    await waitForHealth(url, child);
  } catch (error) {
    await stop();
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`${why}\n${output.join("").slice(-4000)}`);
  }
  return { url, process: child, stop };
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the agent did not answer ${url}/healthz within ${READY_TIMEOUT_MS / 1000} s`);
}

/** A port nothing listens on now, on 127.0.0.1. */
export function freePort(): Promise<number> {
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
