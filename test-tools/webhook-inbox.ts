/**
 * Webhook endpoints for Workers tests: each inbox is an endpoint created through the admin API that points at
 * its own path on the test webhook receiver (test-tools/webhook-receiver.ts), which verifies every delivery
 * with the endpoint's secret. Delete the endpoint when done, so other test files' events stop reaching it.
 */
import { inject } from "vitest";
import type { WebhookEventType } from "../core/webhooks/contracts.ts";
import { call } from "./agent-api.ts";
import type { ReceivedWebhook } from "./webhook-receiver.ts";

export type { ReceivedWebhook };

const ADMIN = {
  authorization: "Bearer test-admin-token-0123456789abcdef",
  "content-type": "application/json",
};

export interface WebhookInbox {
  endpointId: string;
  secret: string;
  /** Everything that reached this inbox, in arrival order. */
  received(): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function openWebhookInbox(
  events: WebhookEventType[],
  options: { failFirst?: number; failStatus?: number; includeContent?: boolean } = {},
): Promise<WebhookInbox> {
  const { includeContent, ...behaviour } = options;
  const base = inject("webhookReceiverUrl");
  const name = `inbox-${crypto.randomUUID()}`;
  const created = await call("/api/admin/webhooks", {
    method: "POST",
    headers: ADMIN,
    body: JSON.stringify({ url: `${base}/hooks/${name}`, events, include_content: includeContent ?? false }),
  });
  if (created.status !== 201) throw new Error(`creating a webhook answered ${created.status}`);
  const { id, secret } = (await created.json()) as { id: string; secret: string };
  const registered = await fetch(`${base}/_receiver/inboxes/${name}`, {
    method: "PUT",
    body: JSON.stringify({ secret, ...behaviour }),
  });
  if (!registered.ok) throw new Error(`the receiver refused the inbox: ${registered.status}`);
  return {
    endpointId: id,
    secret,
    async received() {
      const response = await fetch(`${base}/_receiver/inboxes/${name}`);
      return ((await response.json()) as { received: ReceivedWebhook[] }).received;
    },
    async close() {
      await call(`/api/admin/webhooks/${id}`, { method: "DELETE", headers: ADMIN });
    },
  };
}

/** The parsed body of a received webhook. */
export const webhookBody = (received: ReceivedWebhook) =>
  JSON.parse(received.body) as { type: string; timestamp: string; data: Record<string, unknown> };
