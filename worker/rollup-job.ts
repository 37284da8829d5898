/**
 * The hourly rollup run (the "5 * * * *" cron in wrangler.jsonc, from worker/index.ts `scheduled`): rolls up
 * the ops figures of every complete hour not rolled up yet (db/rollup.ts), so the admin reads of a month stay
 * fast; the hour in progress is always computed live.
 */
import { loadConfig } from "../core/config.ts";
import { createLogger } from "../core/log.ts";
import { lazyDb } from "../db/client.ts";
import { type RollupResult, rollUpHours } from "../db/rollup.ts";

export const ROLLUP_CRON = "5 * * * *";

export async function runRollup(env: Env, now = Date.now()): Promise<RollupResult> {
  const { config } = loadConfig(env);
  const log = createLogger({ job: "rollup" }, config.logLevel);
  const db = lazyDb(env.HYPERDRIVE.connectionString);
  const started = Date.now();
  try {
    const result = await rollUpHours(db.get(), new Date(now));
    log.info("rollup.completed", { ...result, ms: Date.now() - started });
    return result;
  } finally {
    await db.close();
  }
}
