/**
 * Webhooks out: the events an endpoint can subscribe to, the admin API's body, which URLs may receive them,
 * the endpoint secret (Standard Webhooks' `whsec_` + base64 of random bytes) and the queue message that
 * carries one delivery. Payloads carry ids, times and references, never emails; message text only for an
 * endpoint that opted in.
 */
import { z } from "zod";

export const webhookEventTypes = [
  "ticket.created",
  "handoff.requested",
  "conversation.assigned",
  "conversation.closed",
  "feedback.received",
] as const;
export const webhookEventTypeSchema = z.enum(webhookEventTypes);
export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>;

/** What each event says: references only. */
export interface WebhookEventData {
  "ticket.created": { ticket_reference: string; thread_id: string | null; priority: string };
  "handoff.requested": { thread_id: string; channel: string };
  "conversation.assigned": { thread_id: string; staff_id: string };
  "conversation.closed": { thread_id: string; reason: string; staff_id: string | null };
  "feedback.received": { thread_id: string; message_id: string; rating: "up" | "down"; tags: string[] };
}

/**
 * Text people wrote (a ticket's subject and body, a handoff's reason, a feedback comment): sent as
 * `data.content` only to endpoints created with `include_content: true`.
 */
export type WebhookContent = Record<string, string | null>;

export type WebhookEvent = {
  [T in WebhookEventType]: { type: T; data: WebhookEventData[T]; content?: WebhookContent };
}[WebhookEventType];

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * https anywhere; http only to the loopback interface, and only where `allowLoopbackHttp` is on (local runs,
 * where the receiver is a WordPress or a test server on this machine). No credentials in the URL.
 */
export function webhookUrlProblem(raw: string, allowLoopbackHttp: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "is not a URL";
  }
  if (url.username || url.password) return "must not carry credentials";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && allowLoopbackHttp && LOOPBACK_HOSTS.has(url.hostname)) return null;
  return allowLoopbackHttp ? "must be https (or http on 127.0.0.1, localhost or [::1])" : "must be https";
}

export function createWebhookBodySchema(allowLoopbackHttp: boolean) {
  return z.strictObject({
    url: z
      .string()
      .max(2048)
      .superRefine((value, ctx) => {
        const problem = webhookUrlProblem(value, allowLoopbackHttp);
        if (problem) ctx.addIssue({ code: "custom", message: `the URL ${problem}` });
      }),
    events: z
      .array(webhookEventTypeSchema)
      .min(1)
      .max(webhookEventTypes.length)
      .transform((events) => [...new Set(events)]),
    /** Opt in to the text people wrote in the events that have some; off by default. */
    include_content: z.boolean().default(false),
  });
}

/** Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

export const newWebhookEndpointId = () => `wh_${crypto.randomUUID().replaceAll("-", "")}`;

/** One delivery to one endpoint. `payload` is the exact body, so every attempt posts the same bytes. */
export const webhookDeliverySchema = z.object({
  kind: z.literal("webhook_delivery"),
  webhookId: z.string().startsWith("msg_"),
  endpointId: z.string().startsWith("wh_"),
  type: webhookEventTypeSchema,
  payload: z.string(),
  enqueuedAt: z.string(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

/** Seconds before attempt n+1 after attempt n failed: base, 2x base, 4x base, … at most 12 hours. */
export function webhookRetryDelaySeconds(attempts: number, baseSeconds: number): number {
  return Math.min(43_200, Math.round(baseSeconds * 2 ** Math.max(0, attempts - 1)));
}
