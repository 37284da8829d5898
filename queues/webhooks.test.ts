import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../core/log.ts";
import type { WebhookDelivery } from "../core/webhooks/contracts.ts";
import { newWebhookSecret } from "../core/webhooks/contracts.ts";
import { openDb } from "../db/client.ts";
import { webhookDeliveries } from "../db/schema.ts";
import { emitWebhookEvent } from "../db/webhook-outbox.ts";
import { eventually, query } from "../test-tools/remote-controls.ts";
import { openWebhookInbox, type WebhookInbox, webhookBody } from "../test-tools/webhook-inbox.ts";
import worker from "../worker/index.ts";

// Each test deletes its endpoints: a failing one left subscribed would hold the queue for the next tests.
const inboxes: WebhookInbox[] = [];
afterEach(async () => {
  for (const inbox of inboxes.splice(0)) await inbox.close();
});

async function inbox(options: { failFirst?: number } = {}) {
  const opened = await openWebhookInbox(["conversation.closed"], options);
  inboxes.push(opened);
  return opened;
}

/** Emits a conversation.closed event for a fresh thread id straight through the emitter. */
async function emitClosed(key = crypto.randomUUID(), threadId = crypto.randomUUID()) {
  const handle = openDb(env.HYPERDRIVE.connectionString, { max: 1 });
  try {
    await emitWebhookEvent(
      { db: handle.db, queue: env.WEBHOOKS, publicUrl: "https://agent.test", log: createLogger() },
      { type: "conversation.closed", data: { thread_id: threadId, reason: "resolved", staff_id: "s1" } },
      { key, at: new Date() },
    );
  } finally {
    await handle.close();
  }
  return threadId;
}

/** What `target` received for the thread, once `count` deliveries have arrived. */
async function receivedFor(target: WebhookInbox, threadId: string, count = 1, timeoutMs = 20_000) {
  return eventually(async () => {
    const mine = (await target.received()).filter((r) => webhookBody(r).data.thread_id === threadId);
    return mine.length >= count ? mine : undefined;
  }, timeoutMs);
}

/** The value, or a failed test when it is missing. */
function must<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error("expected a value");
  return value;
}

const deliveryRow = async (webhookId: string) =>
  (await query((db) => db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, webhookId))))[0];

async function deliverDirectly(body: unknown) {
  const batch = createMessageBatch("webhooks", [
    { id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

describe("webhook delivery", () => {
  it("posts the event once, signed with the endpoint's secret per Standard Webhooks", async () => {
    const target = await inbox();
    const threadId = await emitClosed();
    const got = must((await receivedFor(target, threadId))[0]);
    const webhookId = must(got.webhookId);
    expect(got).toMatchObject({ verified: true, answered: 204, webhookId: expect.stringMatching(/^msg_/) });
    expect(webhookBody(got)).toEqual({
      type: "conversation.closed",
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: {
        thread_id: threadId,
        reason: "resolved",
        staff_id: "s1",
        console_url: `https://agent.test/console/conversations/${threadId}`,
      },
    });
    // The same check with another secret fails: the signature is really the endpoint's.
    const headers = {
      "webhook-id": webhookId,
      "webhook-timestamp": must(got.timestamp),
      "webhook-signature": must(got.signature),
    };
    expect(new Webhook(target.secret).verify(got.body, headers)).toMatchObject({
      type: "conversation.closed",
    });
    expect(() => new Webhook(newWebhookSecret()).verify(got.body, headers)).toThrow(WebhookVerificationError);
    const row = await eventually(async () => {
      const r = await deliveryRow(webhookId);
      return r?.status === "delivered" ? r : undefined;
    });
    expect(row).toMatchObject({ endpointId: target.endpointId, attempts: 1, lastStatus: 204 });
    expect(row.deliveredAt).not.toBeNull();

    // The queue hands the same message over again: it is acked, not posted a second time.
    const again = await deliverDirectly({
      kind: "webhook_delivery",
      webhookId,
      endpointId: target.endpointId,
      type: "conversation.closed",
      payload: got.body,
      enqueuedAt: new Date().toISOString(),
    } satisfies WebhookDelivery);
    expect(again.explicitAcks).toHaveLength(1);
    expect(await target.received()).toHaveLength(1);
  });

  it("retries after a 500 with the same webhook-id and records both attempts", async () => {
    const target = await inbox({ failFirst: 1 });
    const threadId = await emitClosed();
    const [first, second] = await receivedFor(target, threadId, 2);
    const webhookId = must(first?.webhookId);
    expect(first).toMatchObject({ answered: 500, verified: true });
    expect(second).toMatchObject({ answered: 204, verified: true, webhookId });
    const row = await eventually(async () => {
      const r = await deliveryRow(webhookId);
      return r?.status === "delivered" ? r : undefined;
    });
    expect(row).toMatchObject({ attempts: 2, lastStatus: 204 });
  });

  it("dead-letters after 9 failed attempts, where the delivery row says so", async () => {
    const target = await inbox({ failFirst: 1_000 });
    const threadId = await emitClosed();
    const attempts = await receivedFor(target, threadId, 9, 40_000);
    expect(new Set(attempts.map((a) => a.webhookId)).size).toBe(1);
    expect(attempts.every((a) => a.answered === 500 && a.verified)).toBe(true);
    const row = await eventually(async () => {
      const r = await deliveryRow(must(attempts[0]?.webhookId));
      return r?.status === "dead_lettered" ? r : undefined;
    }, 30_000);
    expect(row).toMatchObject({ attempts: 9, lastStatus: 500, deliveredAt: null });
    // Nothing after the ninth.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await target.received()).toHaveLength(9);
  });

  it("makes one delivery of an event emitted twice with the same key", async () => {
    const target = await inbox();
    const key = crypto.randomUUID();
    const threadId = await emitClosed(key);
    await emitClosed(key, threadId);
    const got = must((await receivedFor(target, threadId))[0]);
    await eventually(async () => {
      const row = await deliveryRow(must(got.webhookId));
      return row?.status === "delivered" ? row : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await target.received()).toHaveLength(1);
  });

  it("drops a delivery whose endpoint was deleted, without posting it", async () => {
    const target = await inbox();
    await target.close();
    const webhookId = `msg_${crypto.randomUUID().replaceAll("-", "")}`;
    await query((db) =>
      db.insert(webhookDeliveries).values({
        id: webhookId,
        endpointId: target.endpointId,
        eventType: "conversation.closed",
      }),
    );
    const result = await deliverDirectly({
      kind: "webhook_delivery",
      webhookId,
      endpointId: target.endpointId,
      type: "conversation.closed",
      payload: "{}",
      enqueuedAt: new Date().toISOString(),
    } satisfies WebhookDelivery);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await deliveryRow(webhookId)).toMatchObject({ status: "dropped", attempts: 0 });
    expect(await target.received()).toHaveLength(0);
  });

  it("acks a body it cannot parse instead of retrying it", async () => {
    const result = await deliverDirectly({ kind: "webhook_delivery", webhookId: 7 });
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(0);
  });
});
