/**
 * Consumer of the dead-letter queues: a side effect that failed every retry. For a tool step the record says
 * so, the thread tells the visitor, and the log alerts ops; for a webhook delivery its webhook_deliveries row
 * becomes `dead_lettered` and the log says which endpoint and event. Nothing here retries the effect itself.
 */
import { loadConfig } from "../core/config.ts";
import { toolStepSchema } from "../core/contracts/queue.ts";
import { createLogger, type Logger } from "../core/log.ts";
import { type WebhookDelivery, webhookDeliverySchema } from "../core/webhooks/contracts.ts";
import { type Database, lazyDb } from "../db/client.ts";
import { settleToolCall } from "../db/record.ts";
import { markDeadLettered } from "../db/webhooks.ts";

export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const log = createLogger({ queue: batch.queue }, loadConfig(env).config.logLevel);
  const db = lazyDb(env.HYPERDRIVE.connectionString);
  try {
    for (const message of batch.messages) {
      const webhook = webhookDeliverySchema.safeParse(message.body);
      if (webhook.success) {
        await deadLetterWebhook(db.get(), webhook.data, message, log);
        continue;
      }
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

async function deadLetterWebhook(db: Database, delivery: WebhookDelivery, message: Message, log: Logger) {
  const ids = { webhookId: delivery.webhookId, endpointId: delivery.endpointId, type: delivery.type };
  try {
    await markDeadLettered(db, delivery.webhookId);
    log.error("webhook.dead_lettered", ids);
    message.ack();
  } catch (error) {
    log.warn("queue.retried", { ...ids, error });
    message.retry({ delaySeconds: 30 });
  }
}
