/**
 * Runs a command tied to the process that started it: `node scripts/tether.ts <command> [args...]`, with a
 * pipe as stdin that the parent never writes. The command runs in its own process group (wrangler starts
 * workerd, which must stop with it); when the parent goes away for any reason, SIGKILL included, the pipe
 * closes and the whole group is stopped. SIGTERM, SIGINT or SIGHUP to the tether stop the group the same
 * way. Used by scripts/wrangler-dev.ts.
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: node scripts/tether.ts <command> [args...]");
  process.exit(2);
}
const GRACE_MS = 5000;

const child = spawn(command, args, { detached: true, stdio: ["ignore", "inherit", "inherit"] });
let stopped = false;

const signalGroup = (signal: NodeJS.Signals) => {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
};

const stopGroup = () => {
  if (stopped) return;
  stopped = true;
  signalGroup("SIGTERM");
  // workerd may outlive wrangler for a moment; whatever is left after the grace period is killed.
  setTimeout(() => {
    signalGroup("SIGKILL");
    process.exit(1);
  }, GRACE_MS).unref();
};

process.stdin.on("data", () => {});
process.stdin.on("end", stopGroup);
process.stdin.on("close", stopGroup);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, stopGroup);

child.on("error", (error) => {
  console.error(`tether: ${command}: ${error.message}`);
  process.exit(127);
});
child.on("exit", (code, signal) => {
  // Anything the command left in its group goes with it.
  signalGroup("SIGKILL");
  process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0));
});
