/**
 * `npm run bench:live`: what idle live listeners cost. Opens one thread on a local agent (wrangler dev +
 * PGlite), connects LIVE_SOCKETS (default 1,000) visitor WebSockets to it through the Worker's upgrade route,
 * lets them sit idle, and prints the resident memory of workerd (the Worker and its Durable Objects) before and
 * after, per socket, then times one staff reply reaching all of them. The sockets use the Hibernation API, so
 * in production an idle one costs no duration. Locally the figure is an upper bound: it also holds wrangler
 * dev's proxy and the entry Worker's side of each upgraded connection, which the platform does not keep.
 */
import "../scripts/launcher.ts";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startLocalPostgres } from "../db/local-postgres.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { started, step } from "../scripts/lifecycle.ts";
import { seedDemo } from "../scripts/seed.ts";
import { startWranglerDev } from "../scripts/wrangler-dev.ts";

const SOCKETS = Number(process.env.LIVE_SOCKETS ?? 1000);
const IDLE_MS = Number(process.env.LIVE_IDLE_MS ?? 15_000);

const pg = await started(startLocalPostgres(), (p) => p.stop());
await step(migrateDatabase(pg.url));
await step(seedDemo(pg.url));
const dev = await started(
  startWranglerDev({ databaseUrl: pg.url, vars: { LOG_LEVEL: "warn", RATE_LIMITS: "off" } }),
  (d) => d.stop(),
);

/** Resident memory (MB) of every workerd process under wrangler. */
function workerdRssMb(rootPid: number): number {
  const children = (pid: number): number[] => {
    try {
      return readdirSync(`/proc/${pid}/task`).flatMap((t) =>
        readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").split(" ").filter(Boolean).map(Number),
      );
    } catch {
      return [];
    }
  };
  const all: number[] = [];
  for (let queue = [rootPid]; queue.length > 0; ) {
    const pid = queue.shift() ?? 0;
    all.push(pid);
    queue = [...queue, ...children(pid)];
  }
  let kb = 0;
  for (const pid of all) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      if (!/^Name:\s+workerd/m.test(status)) continue;
      kb += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      // The process ended meanwhile.
    }
  }
  return kb / 1024;
}

/** A staff API token from `staff:add` (async: PGlite serves from this process). */
async function staffToken(): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      fileURLToPath(new URL("../scripts/staff-add.ts", import.meta.url)),
      "--email",
      "bench@fernhill.example",
      "--name",
      "Bench",
    ],
    {
      env: { ...process.env, DATABASE_URL: pg.url, STAFF_PASSWORD: "bench-password-long" },
      encoding: "utf8",
    },
  );
  return stdout.trim().split("\n").at(-1) ?? "";
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

try {
  const opened = (await (
    await fetch(`${dev.url}/api/agent/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "I'd like to talk to a person, please." }),
    })
  ).json()) as { thread_id: string; thread_token: string };
  const rootPid = dev.process.pid ?? 0;
  await settle(3000);
  const before = workerdRssMb(rootPid);
  const url = `${dev.url.replace(/^http/, "ws")}/api/agent/thread/${opened.thread_id}/live`;
  const sockets: WebSocket[] = [];
  const heard = new Set<number>();
  const started = performance.now();
  for (let i = 0; i < SOCKETS; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, SOCKETS - i) }, (_, k) => {
        const index = i + k;
        const ws = new WebSocket(url, ["support-agent.v1", `token.${opened.thread_token}`]);
        sockets.push(ws);
        ws.onmessage = (m) => {
          if (String(m.data).includes("bench-check")) heard.add(index);
        };
        return new Promise<void>((resolve, reject) => {
          ws.onopen = () => resolve();
          ws.onerror = () => reject(new Error(`socket ${index} failed`));
        });
      }),
    );
  }
  const connectMs = Math.round(performance.now() - started);
  await settle(IDLE_MS);
  const after = workerdRssMb(rootPid);
  // Every idle socket still hears the thread: a person's reply goes to all of them.
  const token = await staffToken();
  const send = (path: string, body: unknown) =>
    fetch(`${dev.url}/api/console/conversations/${opened.thread_id}/${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const sentAt = performance.now();
  await send("messages", { content: "bench-check" });
  while (heard.size < SOCKETS && performance.now() - sentAt < 10_000) await settle(20);
  const fanOutMs = Math.round(performance.now() - sentAt);
  const figure = {
    sockets: SOCKETS,
    connect_ms: connectMs,
    idle_ms: IDLE_MS,
    workerd_rss_mb_before: Math.round(before * 10) / 10,
    workerd_rss_mb_after: Math.round(after * 10) / 10,
    kb_per_socket: Math.round(((after - before) * 1024 * 10) / SOCKETS) / 10,
    open_after_idle: sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length,
    heard_staff_reply: heard.size,
    fan_out_ms: fanOutMs,
  };
  console.log(JSON.stringify(figure, null, 2));
  for (const ws of sockets) ws.close(1000);
  await settle(500);
} finally {
  await dev.stop();
  await pg.stop();
}
