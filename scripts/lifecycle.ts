/**
 * How the launchers (`npm start`, the benchmarks, the browser tests, the evals) stop: whatever they started
 * registers a cleanup with `onStop`, and a launcher imports ./launcher.ts first, which installs handlers for
 * SIGINT, SIGTERM and SIGHUP before anything is started (TOOLCHAIN.md, gotcha 15: a handler installed after an
 * `await` leaves a window in which Ctrl-C kills the parent and orphans its children). On a signal the cleanups
 * run newest first (the Worker before the database it talks to), then the process exits with 128 + the
 * signal's number; a second signal skips what is left. Child processes are also tied to the parent by
 * ./tether.ts, so even a parent killed with SIGKILL leaves nothing behind.
 *
 * Library code (scripts/wrangler-dev.ts, db/local-postgres.ts) may call `onStop` whether or not a launcher
 * installed the handlers: in a test process the registry is simply never run by a signal.
 */
import { constants } from "node:os";

type Cleanup = () => Promise<unknown> | unknown;

const cleanups: Cleanup[] = [];
let stopping: Promise<never> | null = null;
let installed = false;
/** Bounds one cleanup, so one that hangs cannot keep the others (and the exit) waiting. */
const CLEANUP_TIMEOUT_MS = 15_000;

/** Registers work to do when the process stops; returns a function that unregisters it (after a normal stop). */
export function onStop(cleanup: Cleanup): () => void {
  cleanups.push(cleanup);
  return () => {
    const index = cleanups.lastIndexOf(cleanup);
    if (index >= 0) cleanups.splice(index, 1);
  };
}

/** True once a signal (or `stopAll`) began stopping the process. */
export function isStopping(): boolean {
  return stopping !== null;
}

/**
 * Waits for a start-up step unless the process is stopping: then the caller's remaining steps never run
 * (the returned promise does not settle) while the cleanups stop what was started.
 */
export async function step<T>(work: Promise<T>): Promise<T> {
  try {
    const value = await work;
    if (stopping !== null) await stopping;
    return value;
  } catch (error) {
    // A step whose resources the cleanups closed under it fails; that is the stop, not an error to report.
    if (stopping !== null) await stopping;
    throw error;
  }
}

/**
 * A start-up step that starts something: its stop is registered before the start finishes (a signal during
 * a database's start waits for it, then closes it), and the step halts the launcher like `step` does.
 * `stop` must tolerate a second call: the launcher's own teardown may race a signal.
 */
export function started<T>(work: Promise<T>, stop: (value: T) => Promise<unknown>): Promise<T> {
  onStop(async () => {
    const value = await work.catch(() => null);
    if (value !== null) await stop(value);
  });
  return step(work);
}

/** Runs every cleanup (newest first, each bounded), then exits with `code`. Later calls join the first. */
export function stopAll(code: number): Promise<never> {
  stopping ??= (async () => {
    while (cleanups.length > 0) {
      const cleanup = cleanups.pop();
      if (!cleanup) break;
      await Promise.race([
        Promise.resolve()
          .then(cleanup)
          .catch((error: unknown) => {
            console.error(`stop: ${error instanceof Error ? error.message : String(error)}`);
          }),
        new Promise((resolve) => setTimeout(resolve, CLEANUP_TIMEOUT_MS).unref()),
      ]);
    }
    process.exit(code);
  })();
  return stopping;
}

/** Installs the signal handlers once; ./launcher.ts calls it as a launcher's first import. */
export function stopOnSignals(): void {
  if (installed) return;
  installed = true;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      const code = 128 + constants.signals[signal];
      // A second Ctrl-C: leave now. Tethered children still stop when this process is gone.
      if (stopping !== null) process.exit(code);
      void stopAll(code);
    });
  }
}
