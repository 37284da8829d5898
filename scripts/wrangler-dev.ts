/**
 * Runs `wrangler dev` (workerd with the Worker, Durable Objects and Queues) against a given database and
 * optional extra variables, and resolves once it serves requests. Used by `npm start` and the benchmarks.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface WranglerDev {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startWranglerDev(options: {
  databaseUrl: string;
  port: number;
  /** Folder for Durable Object and queue state; a fresh temporary one when omitted. */
  persistTo?: string;
  vars?: Record<string, string>;
  /** Pass wrangler's own output through (npm start) or keep it quiet (benchmarks). */
  echo?: boolean;
}): Promise<WranglerDev> {
  const persistTo = options.persistTo ?? mkdtempSync(join(tmpdir(), "agent-state-"));
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(options.port), "--persist-to", persistTo];
  args.push("--show-interactive-dev-session=false");
  if (options.vars && Object.keys(options.vars).length > 0) {
    const file = join(mkdtempSync(join(tmpdir(), "agent-vars-")), "vars.env");
    writeFileSync(
      file,
      Object.entries(options.vars)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join("\n"),
    );
    args.push("--env-file", file);
  }
  const child = spawn("wrangler", args, {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: options.databaseUrl,
    },
  });
  const url = `http://127.0.0.1:${options.port}`;
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      if (options.echo) process.stdout.write(chunk);
      if (chunk.toString().includes("Ready on")) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`wrangler dev exited with ${code}`)));
  });
  return {
    url,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
