/**
 * `npm start` stops its whole process tree whenever it is stopped: Ctrl-C (SIGINT to the terminal's process
 * group: npm, its shell and the launcher, as a terminal sends it) while the database starts, while the demo shop is loaded, after wrangler was spawned and after
 * "running at"; and a launcher killed outright (SIGKILL, no handler runs) still takes wrangler and workerd
 * with it through the tether. Each run gets its own data folder and ports; every process of a run carries
 * a marker in its environment, so what is left is found in /proc even after it was re-parented.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const PORT = 9110;
const DB_PORT = 9111;
const dataDir = mkdtempSync(join(tmpdir(), "start-stop-"));
const runs: { child: ChildProcess; mark: string }[] = [];

afterAll(() => {
  // A failed assertion must not leave a stack running for the next test file.
  for (const { mark } of runs) for (const p of marked(mark)) kill(p.pid);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Processes whose environment carries the run's marker. */
function marked(mark: string): { pid: number; cmd: string }[] {
  const found: { pid: number; cmd: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, "utf8");
      if (!environ.split("\0").includes(`START_STOP_MARK=${mark}`)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // A zombie is already dead; its parent just has not reaped it yet.
      if (/^\d+ \(.*\) Z/.test(stat)) continue;
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      found.push({ pid: Number(entry), cmd });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Starts `npm start` and resolves once a line of its output matches `phase`. */
async function startUntil(
  phase: RegExp,
): Promise<{ child: ChildProcess; mark: string; output: () => string }> {
  const mark = crypto.randomUUID();
  const child = spawn("npm", ["start"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    // A process group of its own, like a terminal's foreground job.
    detached: true,
    env: {
      ...process.env,
      PORT: String(PORT),
      LOCAL_DB_PORT: String(DB_PORT),
      DATA_DIR: dataDir,
      START_STOP_MARK: mark,
    },
  });
  runs.push({ child, mark });
  let text = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line matched ${phase}:\n${text}`)), 150_000);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (phase.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before ${phase}:\n${text}`));
    });
  });
  return { child, mark, output: () => text };
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** What is left of the run, given a moment for SIGKILLed processes to be reaped. */
async function leftovers(mark: string): Promise<string[]> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const left = marked(mark);
    if (left.length === 0 || Date.now() > deadline) return left.map((p) => `${p.pid} ${p.cmd}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("npm start stops its whole process tree", { timeout: 240_000 }, () => {
  it.each([
    ["while the database starts", /^starting: local Postgres/m],
    ["while the demo shop is loaded", /^postgres: PGlite/m],
    ["after wrangler was spawned", /wrangler \d+\.\d+\.\d+/],
    ["after it is running", /Support agent running at/],
  ])("on Ctrl-C %s: no process left, both ports free", async (_, phase) => {
    const run = await startUntil(phase);
    process.kill(-(run.child.pid ?? 0), "SIGINT");
    expect(await exited(run.child, 60_000)).toBe(true);
    expect(await leftovers(run.mark)).toEqual([]);
    expect(await portFree(PORT)).toBe(true);
    expect(await portFree(DB_PORT)).toBe(true);
    expect(run.output()).not.toMatch(/PGlite is closed|Address already in use|Uncaught/);
  });

  it("when the launcher itself is killed (SIGKILL), wrangler and workerd go with it", async () => {
    const run = await startUntil(/Support agent running at/);
    const launcher = marked(run.mark).find((p) => /^\S*node scripts\/start\.ts$/.test(p.cmd));
    expect(launcher).toBeDefined();
    expect(marked(run.mark).some((p) => p.cmd.includes("workerd"))).toBe(true);
    kill(launcher?.pid ?? 0);
    expect(await exited(run.child, 30_000)).toBe(true);
    // The tether gives wrangler 5 s to stop workerd before it kills the group.
    const deadline = Date.now() + 10_000;
    while (marked(run.mark).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await leftovers(run.mark)).toEqual([]);
    expect(await portFree(PORT)).toBe(true);
    expect(await portFree(DB_PORT)).toBe(true);
  });
});
