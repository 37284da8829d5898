/**
 * Consumer of the `webhooks` queue: one message is one event for one endpoint. Each attempt is signed anew
 * (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature, with the endpoint's own secret),
 * posted with a timeout and recorded in webhook_deliveries. A non-2xx answer, a timeout or a network error
 * retries with doubling waits (WEBHOOK_RETRY_BASE_SECONDS); after the queue's last attempt the message goes
 * to webhooks-dlq (queues/dead-letters.ts marks the row). The webhook-id stays the same across attempts, and
 * a delivery that already succeeded is not posted again when the queue hands its message over twice.
 */
import { Webhook } from "standardwebhooks";
import { loadConfig, type WebhooksConfig } from "../core/config.ts";
import { createLogger, type Logger } from "../core/log.ts";
import {
  type WebhookDelivery,
  webhookDeliverySchema,
  webhookRetryDelaySeconds,
  webhookUrlProblem,
} from "../core/webhooks/contracts.ts";
import type { Database } from "../db/client.ts";
import { lazyDb } from "../db/client.ts";
import { deliveryTarget, recordAttempt } from "../db/webhooks.ts";

/** Receivers should answer at once and do their work later; a slower one counts as failed. */
const ATTEMPT_TIMEOUT_MS = 10_000;

export async function consumeWebhooks(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const { config } = loadConfig(env);
  const log = createLogger({ queue: batch.queue }, config.logLevel);
  const db = lazyDb(env.HYPERDRIVE.connectionString);
  try {
    for (const message of batch.messages) {
      const parsed = webhookDeliverySchema.safeParse(message.body);
      if (!parsed.success) {
        log.error("queue.poison", { messageId: message.id, issues: parsed.error.issues.length });
        message.ack();
        continue;
      }
      const delivery = parsed.data;
      const delaySeconds = webhookRetryDelaySeconds(message.attempts, config.webhooks.retryBaseSeconds);
      try {
        const outcome = await attempt(db.get(), delivery, message.attempts, config.webhooks, log);
        if (outcome === "retry") message.retry({ delaySeconds });
        else message.ack();
      } catch (error) {
        // Our own database failed, not the receiver: the same wait, and the attempt counts.
        log.warn("queue.retried", { webhookId: delivery.webhookId, attempt: message.attempts, error });
        message.retry({ delaySeconds });
      }
    }
  } finally {
    await db.close();
  }
}

async function attempt(
  db: Database,
  delivery: WebhookDelivery,
  attempts: number,
  settings: WebhooksConfig,
  log: Logger,
): Promise<"done" | "retry"> {
  const ids = { webhookId: delivery.webhookId, endpointId: delivery.endpointId, type: delivery.type };
  const target = await deliveryTarget(db, delivery.webhookId);
  if (target?.status !== "pending") {
    // Delivered, dropped or dead-lettered already (or its row was deleted): nothing to send.
    log.info("webhook.skipped", { ...ids, status: target?.status ?? null });
    return "done";
  }
  const { endpoint } = target;
  // The endpoint was deleted, or its URL is no longer allowed here (WEBHOOKS_ALLOW_LOOPBACK turned off).
  const problem = endpoint ? webhookUrlProblem(endpoint.url, settings.allowLoopbackHttp) : "was deleted";
  if (!endpoint || problem) {
    await recordAttempt(db, delivery.webhookId, {
      attempts: attempts - 1,
      lastStatus: null,
      status: "dropped",
    });
    log.warn("webhook.dropped", { ...ids, reason: endpoint ? "url_not_allowed" : "endpoint_deleted" });
    return "done";
  }
  const started = Date.now();
  const result = await postSigned(endpoint, delivery);
  await recordAttempt(db, delivery.webhookId, {
    attempts,
    lastStatus: result.status,
    status: result.ok ? "delivered" : "pending",
  });
  const fields = { ...ids, attempt: attempts, status: result.status, ms: Date.now() - started };
  if (result.ok) {
    log.info("webhook.delivered", fields);
    return "done";
  }
  log.warn("webhook.attempt_failed", { ...fields, code: result.code });
  return "retry";
}

type AttemptResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; code: "http_status" | "timeout" | "network" };

/** One signed POST; never follows a redirect (the URL that was checked is the one that receives it). */
async function postSigned(
  endpoint: { url: string; secret: string },
  delivery: WebhookDelivery,
): Promise<AttemptResult> {
  const timestamp = new Date();
  const signature = new Webhook(endpoint.secret).sign(delivery.webhookId, timestamp, delivery.payload);
  try {
    const response = await fetch(endpoint.url, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/json",
        "user-agent": "support-agent-webhooks/1",
        "webhook-id": delivery.webhookId,
        "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body: delivery.payload,
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    // Only the status matters; the body is read to free the connection.
    await response.body?.cancel();
    const ok = response.status >= 200 && response.status < 300;
    return ok ? { ok, status: response.status } : { ok, status: response.status, code: "http_status" };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return { ok: false, status: null, code: timedOut ? "timeout" : "network" };
  }
}
