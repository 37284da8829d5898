/**
 * Emits a webhook event: one webhook_deliveries row and one `webhooks` queue message per subscribed endpoint
 * (queues/webhooks.ts delivers them). Called beside the action the event reports (a ticket opened, a
 * conversation closed, …), so it never throws: a failure is logged with its code and the action goes on.
 */

import type { Logger } from "../core/log.ts";
import type { WebhookDelivery, WebhookEvent } from "../core/webhooks/contracts.ts";
import { webhookMessageId, webhookPayload } from "../core/webhooks/events.ts";
import type { Database } from "./client.ts";
import { insertDeliveries, subscribedEndpoints } from "./webhooks.ts";

/** The part of the WEBHOOKS queue binding the emitter uses. */
export interface WebhookQueue {
  sendBatch(messages: Iterable<{ body: WebhookDelivery }>): Promise<unknown>;
}

export interface WebhookEmitter {
  db: Database;
  queue: WebhookQueue;
  /** The agent's public origin, for the console link (null: no link). */
  publicUrl: string | null;
  log: Logger;
}

/**
 * Queues `event` for every endpoint subscribed to its type. `key` identifies the occurrence (a call id, a
 * message id): emitting the same key again adds no delivery. `at` is when it happened.
 * @example await emitWebhookEvent(emitter, { type: "conversation.closed", data }, { key: messageId, at })
 */
export async function emitWebhookEvent(
  emitter: WebhookEmitter,
  event: WebhookEvent,
  occurrence: { key: string; at: Date },
): Promise<void> {
  const { db, queue, log } = emitter;
  try {
    const endpoints = await subscribedEndpoints(db, event.type);
    if (endpoints.length === 0) return;
    const planned = await Promise.all(
      endpoints.map(async (endpoint) => ({
        id: await webhookMessageId(event.type, occurrence.key, endpoint.id),
        endpointId: endpoint.id,
        eventType: event.type,
        // Each endpoint gets its own body: content only where it opted in.
        payload: webhookPayload(event, occurrence.at, {
          publicUrl: emitter.publicUrl,
          includeContent: endpoint.includeContent,
        }),
      })),
    );
    const fresh = new Set(
      await insertDeliveries(
        db,
        planned.map(({ id, endpointId, eventType }) => ({ id, endpointId, eventType })),
      ),
    );
    const enqueuedAt = new Date().toISOString();
    const messages = planned
      .filter((p) => fresh.has(p.id))
      .map((p) => ({
        body: {
          kind: "webhook_delivery" as const,
          webhookId: p.id,
          endpointId: p.endpointId,
          type: event.type,
          payload: p.payload,
          enqueuedAt,
        },
      }));
    // A row without its message stays `pending` with 0 attempts, and the error below says which event.
    if (messages.length > 0) await queue.sendBatch(messages);
    log.info("webhook.emitted", { type: event.type, deliveries: messages.length });
  } catch (error) {
    log.error("webhook.emit_failed", { type: event.type, key: occurrence.key, error });
  }
}
