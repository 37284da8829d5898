/**
 * The cron triggers' work (worker/index.ts `scheduled`; the crons are in wrangler.jsonc): the daily steps
 * (queue a knowledge-base index rebuild, retention, queue the nightly evals) and the hourly rollup. Each step
 * runs whatever happened to the one before: a failure is logged as `scheduled.step_failed` with the step and
 * its error code, and the next step runs.
 */
import { loadConfig } from "../core/config.ts";
import { AppError } from "../core/errors.ts";
import { createLogger } from "../core/log.ts";
import { queueEvalRun } from "../queues/eval-job.ts";
import { runRetention } from "./retention-job.ts";
import { ROLLUP_CRON, runRollup } from "./rollup-job.ts";

interface Step {
  name: string;
  run(env: Env, scheduledTime: number): Promise<unknown>;
}

const DAILY: Step[] = [
  {
    name: "kb_rebuild",
    run: (env) =>
      env.KB_REBUILD.send({
        kind: "rebuild_kb_index",
        reason: "cron",
        requestedAt: new Date().toISOString(),
      }),
  },
  { name: "retention", run: (env, at) => runRetention(env, at) },
  { name: "evals", run: (env) => queueEvalRun(env, "cron") },
];

const HOURLY: Step[] = [{ name: "rollup", run: (env, at) => runRollup(env, at) }];

/** Runs the cron's steps in order, each on its own; returns the names of those that failed. */
export async function runScheduled(
  env: Env,
  controller: { cron: string; scheduledTime: number },
): Promise<string[]> {
  const { config } = loadConfig(env);
  const log = createLogger({ cron: controller.cron }, config.logLevel);
  const failed: string[] = [];
  for (const step of controller.cron === ROLLUP_CRON ? HOURLY : DAILY) {
    try {
      await step.run(env, controller.scheduledTime);
    } catch (error) {
      failed.push(step.name);
      const code = error instanceof AppError ? error.code : "internal:server";
      log.error("scheduled.step_failed", { step: step.name, code, error });
    }
  }
  return failed;
}
