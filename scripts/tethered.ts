/**
 * Starting and stopping a long-running command through ./tether.ts (its own process group, stopped with this
 * process however it ends). Used by scripts/wrangler-dev.ts (wrangler and its workerd) and wordpress/e2e/site.ts
 * (php -S and its workers), so both stop their servers the same way.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const TETHER = fileURLToPath(new URL("./tether.ts", import.meta.url));
/** The tether's own grace period (5 s, then SIGKILL to the group) plus a margin for it to exit. */
const STOP_WAIT_MS = 8000;

/**
 * @example const php = spawnTethered("php", ["-S", "127.0.0.1:8080"], { cwd: dir, stdout: "ignore" });
 * stdin is a pipe this process never writes: its closing is what tells the tether that this process is gone.
 * stderr is always piped, stdout unless ignored.
 */
export function spawnTethered(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; stdout?: "pipe" | "ignore" },
): ChildProcess {
  return spawn(process.execPath, [TETHER, command, ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["pipe", options.stdout ?? "pipe", "pipe"],
  });
}

/**
 * Stops a tethered command and its whole group: SIGTERM to the tether, which passes it on and kills what is
 * left after its grace period; then its stdin closes, which stops a tether that missed the signal.
 */
export async function stopTethered(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, STOP_WAIT_MS))]);
  }
  child.stdin?.destroy();
}
