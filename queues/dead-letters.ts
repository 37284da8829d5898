/**
 * Consumer of the dead-letter queue: a side effect that failed every retry. The record says so, the thread
 * tells the visitor, and the log alerts ops. Nothing here retries the effect itself.
 */
import { loadConfig } from "../core/config.ts";
import { toolStepSchema } from "../core/contracts/queue.ts";
import { createLogger } from "../core/log.ts";
import { lazyDb } from "../db/client.ts";
import { settleToolCall } from "../db/record.ts";

export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const log = createLogger({ queue: batch.queue }, loadConfig(env).config.logLevel);
  const db = lazyDb(env.HYPERDRIVE.connectionString);
  try {
    for (const message of batch.messages) {
      const parsed = toolStepSchema.safeParse(message.body);
      if (!parsed.success) {
        log.error("queue.poison", { messageId: message.id });
        message.ack();
        continue;
      }
      const step = parsed.data;
      try {
        await settleToolCall(db.get(), step.callId, {
          status: "dead_lettered",
          errorCode: "unavailable:retries_exhausted",
          attempts: message.attempts,
        });
        await env.THREAD.getByName(step.threadId).settleStep({
          callId: step.callId,
          tool: step.tool,
          ok: false,
          reference: null,
        });
        log.error("queue.dead_lettered", { callId: step.callId, tool: step.tool, threadId: step.threadId });
        message.ack();
      } catch (error) {
        log.warn("queue.retried", { callId: step.callId, error });
        message.retry({ delaySeconds: 30 });
      }
    }
  } finally {
    await db.close();
  }
}
