/**
 * Consumer of the kb-rebuild queue (rebuild_kb_index, from the admin endpoint or the daily cron): refreshes the
 * lexical statistics and embeds chunks that have no vector yet, a bounded number per message; when more remain
 * it queues itself again. Re-reading the sources themselves is kb-loader's job (it needs the files or the
 * WordPress site and a tokenizer), so a stale help centre is fixed by a load, not by a rebuild.
 */
import { loadConfig } from "../core/config.ts";
import { kbRebuildSchema } from "../core/contracts/queue.ts";
import { createLogger } from "../core/log.ts";
import { embedderFromConfig } from "../core/retrieval/embedder-config.ts";
import { aiBindingOf } from "../core/retrieval/workers-ai-embedder.ts";
import { lazyDb } from "../db/client.ts";
import { backfillEmbeddings, refreshLexicalStats } from "../db/kb-index.ts";

const EMBED_PER_MESSAGE = 512;

export async function consumeKbRebuild(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const { config } = loadConfig(env);
  const log = createLogger({ queue: batch.queue }, config.logLevel);
  for (const message of batch.messages) {
    const parsed = kbRebuildSchema.safeParse(message.body);
    if (!parsed.success || batch.queue.endsWith("-dlq")) {
      log.error(parsed.success ? "kb.rebuild_dead_lettered" : "queue.poison", { messageId: message.id });
      message.ack();
      continue;
    }
    const db = lazyDb(env.HYPERDRIVE.connectionString);
    const started = Date.now();
    try {
      await refreshLexicalStats(db.get());
      const embedder = embedderFromConfig(config.embeddings, aiBindingOf(env));
      const vectors = await backfillEmbeddings(db.get(), embedder, {
        limit: EMBED_PER_MESSAGE,
        batchSize: 64,
      });
      if (vectors.remaining > 0 && vectors.embedded > 0) {
        await env.KB_REBUILD.send({
          kind: "rebuild_kb_index",
          reason: "continue",
          requestedAt: new Date().toISOString(),
        });
      }
      log.info("kb.rebuilt", {
        reason: parsed.data.reason,
        embedded: vectors.embedded,
        remaining: vectors.remaining,
        skipped: vectors.skipped,
        ms: Date.now() - started,
      });
      message.ack();
    } catch (error) {
      log.warn("queue.retried", { error, attempt: message.attempts });
      message.retry({ delaySeconds: 30 * message.attempts });
    } finally {
      await db.close();
    }
  }
}
