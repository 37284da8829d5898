/**
 * The daily retention run (the cron in wrangler.jsonc, from worker/index.ts `scheduled`): deletes conversations
 * idle for longer than RETENTION_DAYS, in batches, each thread's Durable Object storage first and then its
 * Postgres rows, so a thread whose storage could not be erased keeps its rows and is tried again next day.
 */
import { loadConfig } from "../core/config.ts";
import { createLogger } from "../core/log.ts";
import { lazyDb } from "../db/client.ts";
import { deleteThreads, expiredThreads } from "../db/retention.ts";

const BATCH = 50;
/** A cron invocation has minutes, not hours; what is left is deleted the next day. */
const MAX_PER_RUN = 5000;
const DAY_MS = 24 * 60 * 60 * 1000;

export async function runRetention(env: Env, now = Date.now()): Promise<{ deleted: number; failed: number }> {
  const { config } = loadConfig(env);
  const log = createLogger({ job: "retention" }, config.logLevel);
  if (config.retentionDays <= 0) return { deleted: 0, failed: 0 };
  const before = new Date(now - config.retentionDays * DAY_MS);
  const db = lazyDb(env.HYPERDRIVE.connectionString);
  let deleted = 0;
  let failed = 0;
  const skipped = new Set<string>();
  try {
    while (deleted + failed < MAX_PER_RUN) {
      const ids = (await expiredThreads(db.get(), before, BATCH + skipped.size)).filter(
        (id) => !skipped.has(id),
      );
      if (ids.length === 0) break;
      const erased = await Promise.all(
        ids.map(async (id) => {
          try {
            await env.THREAD.getByName(id).erase();
            return id;
          } catch (error) {
            log.warn("retention.erase_failed", { threadId: id, error });
            skipped.add(id);
            return null;
          }
        }),
      );
      const done = erased.filter((id): id is string => id !== null);
      await deleteThreads(db.get(), done);
      deleted += done.length;
      failed += ids.length - done.length;
    }
    log.info("retention.completed", { deleted, failed, retentionDays: config.retentionDays });
    return { deleted, failed };
  } finally {
    await db.close();
  }
}
