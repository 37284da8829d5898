import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { WebhookEventType } from "../core/webhooks/contracts.ts";
import { tickets } from "../db/schema.ts";
import { call, openThread, say } from "../test-tools/agent-api.ts";
import { eventually, query } from "../test-tools/remote-controls.ts";
import { createTestStaff, type TestStaff } from "../test-tools/staff-accounts.ts";
import {
  openWebhookInbox,
  type ReceivedWebhook,
  type WebhookInbox,
  webhookBody,
} from "../test-tools/webhook-inbox.ts";

// Every event comes from the real action: the chat API, the Thread Durable Object, the tool-step queue and the
// console API, each reaching the receiver through the webhooks queue.
const inboxes: WebhookInbox[] = [];
afterEach(async () => {
  for (const inbox of inboxes.splice(0)) await inbox.close();
});

async function inbox(events: WebhookEventType[], options: { includeContent?: boolean } = {}) {
  const opened = await openWebhookInbox(events, options);
  inboxes.push(opened);
  return opened;
}

/** The verified deliveries of `type` about `threadId`, once there are `count`. */
async function eventsFor(target: WebhookInbox, type: WebhookEventType, threadId: string, count = 1) {
  const matching = (all: ReceivedWebhook[]) =>
    all.filter((r) => {
      const body = webhookBody(r);
      return body.type === type && body.data.thread_id === threadId;
    });
  const found = await eventually(async () => {
    const mine = matching(await target.received());
    return mine.length >= count ? mine : undefined;
  }, 20_000);
  expect(found.every((r) => r.verified && r.answered === 204)).toBe(true);
  return found.map(webhookBody);
}

const consoleLink = (threadId: string) => `https://agent.test/console/conversations/${threadId}`;
const isoTime = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

const act = (staff: TestStaff, threadId: string, action: string, body?: Record<string, unknown>) =>
  call(`/api/console/conversations/${threadId}/${action}`, {
    method: "POST",
    headers: { ...staff.bearer, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

describe("webhook events from their actions", () => {
  it("ticket.created when a chat opens a ticket, with its reference, text only where opted in", async () => {
    const target = await inbox(["ticket.created"]);
    const withContent = await inbox(["ticket.created"], { includeContent: true });
    const request = "please cancel the tent i ordered this morning, my email is lena.berg@example.com";
    const { threadId } = await openThread(request);
    const [event] = await eventsFor(target, "ticket.created", threadId);
    // The endpoint that opted in gets the ticket's subject and body too, and still no email field.
    const [full] = await eventsFor(withContent, "ticket.created", threadId);
    expect(full?.data).toEqual({
      ...event?.data,
      content: { subject: expect.stringContaining("tent"), body: expect.stringContaining("cancel the tent") },
    });
    const [ticket] = await query((db) => db.select().from(tickets).where(eq(tickets.threadId, threadId)));
    expect(ticket?.reference).toMatch(/^FH-/);
    expect(event).toEqual({
      type: "ticket.created",
      timestamp: isoTime,
      data: {
        ticket_reference: ticket?.reference,
        thread_id: threadId,
        priority: "normal",
        console_url: consoleLink(threadId),
      },
    });
    const raw = JSON.stringify(event);
    expect(raw).not.toContain("lena.berg");
    expect(raw).not.toContain("tent");
  });

  it("handoff.requested, conversation.assigned and conversation.closed as a person takes over and closes", async () => {
    const target = await inbox(["handoff.requested", "conversation.assigned", "conversation.closed"]);
    const maya = await createTestStaff("Maya");
    const { threadId, token } = await openThread(
      "Where is my order FH-100231? My email is ana.kovac@example.com",
    );
    expect((await say(threadId, token, "I'd like to talk to a person, please.")).status).toBe("handoff");
    const [handoff] = await eventsFor(target, "handoff.requested", threadId);
    expect(handoff).toEqual({
      type: "handoff.requested",
      timestamp: isoTime,
      data: { thread_id: threadId, channel: "web", console_url: consoleLink(threadId) },
    });

    expect((await act(maya, threadId, "takeover")).status).toBe(200);
    // Taking it again changes nothing, so it is no new event.
    expect((await act(maya, threadId, "takeover")).status).toBe(200);
    const [assigned] = await eventsFor(target, "conversation.assigned", threadId);
    expect(assigned).toEqual({
      type: "conversation.assigned",
      timestamp: isoTime,
      data: { thread_id: threadId, staff_id: maya.id, console_url: consoleLink(threadId) },
    });

    expect((await act(maya, threadId, "close", { reason: "resolved" })).status).toBe(200);
    const [closed] = await eventsFor(target, "conversation.closed", threadId);
    expect(closed).toEqual({
      type: "conversation.closed",
      timestamp: isoTime,
      data: {
        thread_id: threadId,
        reason: "resolved",
        staff_id: maya.id,
        console_url: consoleLink(threadId),
      },
    });
    const all = (await target.received()).filter((r) => webhookBody(r).data.thread_id === threadId);
    expect(all.map((r) => webhookBody(r).type)).toEqual([
      "handoff.requested",
      "conversation.assigned",
      "conversation.closed",
    ]);
    expect(all.map((r) => r.body).join()).not.toMatch(/ana\.kovac|FH-100231|a person, please|Maya/);
  });

  it("feedback.received for a rating, the comment only where opted in, only at endpoints that subscribed", async () => {
    const target = await inbox(["feedback.received"]);
    const withContent = await inbox(["feedback.received"], { includeContent: true });
    const other = await inbox(["ticket.created"]);
    const { threadId, token, reply } = await openThread("How long does shipping take?");
    const rated = await rate(threadId, token, reply.message.id, "down", "the comment is private text");
    expect(rated.status).toBe(201);
    const [event] = await eventsFor(target, "feedback.received", threadId);
    expect(event).toEqual({
      type: "feedback.received",
      timestamp: isoTime,
      data: {
        thread_id: threadId,
        message_id: reply.message.id,
        rating: "down",
        tags: ["unclear"],
        console_url: consoleLink(threadId),
      },
    });
    expect(JSON.stringify(event)).not.toContain("private text");
    const [full] = await eventsFor(withContent, "feedback.received", threadId);
    expect(full?.data.content).toEqual({ comment: "the comment is private text" });
    // Both endpoints' deliveries would have been queued together; the other one was not subscribed.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await other.received()).filter((r) => webhookBody(r).data.thread_id === threadId)).toEqual([]);
  });

  it("measures delivery latency from the event to its receipt", async () => {
    const target = await inbox(["feedback.received"]);
    const { threadId, token, reply } = await openThread("Do you ship to Norway?");
    const latencies: number[] = [];
    for (let i = 1; i <= 20; i++) {
      expect((await rate(threadId, token, reply.message.id, i % 2 ? "up" : "down")).status).toBe(201);
      const received = await eventsFor(target, "feedback.received", threadId, i);
      const mine = (await target.received()).filter((r) => webhookBody(r).data.thread_id === threadId);
      const latest = mine[i - 1];
      if (!latest || received.length < i) throw new Error("delivery missing");
      latencies.push(latest.receivedAt - Date.parse(webhookBody(latest).timestamp));
    }
    const sorted = latencies.sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    console.log(`webhook delivery latency p50 ${at(0.5)} ms, p95 ${at(0.95)} ms (n=${sorted.length})`);
    expect(sorted.every((ms) => ms >= 0)).toBe(true);
  });
});

function rate(threadId: string, token: string, messageId: string, rating: "up" | "down", comment?: string) {
  return call("/api/agent/feedback", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      thread_id: threadId,
      message_id: messageId,
      rating,
      tags: ["unclear"],
      ...(comment ? { comment } : {}),
    }),
  });
}
