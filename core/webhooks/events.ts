/**
 * One webhook event as its receivers see it, and the id of its delivery to one endpoint. Used by the emitter
 * (db/webhook-outbox.ts); pure, no I/O.
 *
 * The body follows the Standard Webhooks shape `{ type, timestamp, data }`: `timestamp` is when the event
 * happened, `data` holds ids, references and a link to the conversation in the console, and `data.content` the
 * text people wrote, for an endpoint that opted in.
 */
import { sha256Hex } from "../ids.ts";
import type { WebhookEvent, WebhookEventType } from "./contracts.ts";

/** The exact body every attempt posts (the queue message carries it, so retries sign the same bytes). */
export function webhookPayload(
  event: WebhookEvent,
  at: Date,
  options: { publicUrl: string | null; includeContent: boolean },
): string {
  const threadId = event.data.thread_id;
  const { publicUrl } = options;
  const consoleUrl = publicUrl && threadId ? `${publicUrl}/console/conversations/${threadId}` : null;
  const content = options.includeContent && event.content ? { content: event.content } : {};
  return JSON.stringify({
    type: event.type,
    timestamp: at.toISOString(),
    data: { ...event.data, console_url: consoleUrl, ...content },
  });
}

/**
 * The webhook-id of one event at one endpoint: derived from the event's own key (a call id, a message id), so
 * the same event emitted again (a queue step delivered twice) names the same delivery and is sent once.
 * @example await webhookMessageId("ticket.created", "call_123", "wh_abc") // "msg_5f0c…" (32 hex digits)
 */
export async function webhookMessageId(
  type: WebhookEventType,
  eventKey: string,
  endpointId: string,
): Promise<string> {
  return `msg_${(await sha256Hex(`${type}\n${eventKey}\n${endpointId}`)).slice(0, 32)}`;
}
