import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { ToolStep } from "../core/contracts/queue.ts";
import { emailThreads, tickets } from "../db/schema.ts";
import { openThread } from "../test-tools/agent-api.ts";
import { deliver as deliverEmail, outboxFor } from "../test-tools/email.ts";
import { query } from "../test-tools/remote-controls.ts";
import worker from "../worker/index.ts";

const ticketStep = (
  threadId: string,
  callId: string,
  email: string | null,
  channel: ToolStep["channel"],
): ToolStep => ({
  kind: "tool_step",
  callId,
  threadId,
  turnId: crypto.randomUUID(),
  tool: "create_ticket",
  args: { email, subject: "Change my order", body: "Please change the size to L.", priority: "normal" },
  channel,
  identity: null,
  enqueuedAt: new Date().toISOString(),
});

async function runStep(step: ToolStep) {
  const batch = createMessageBatch("tool-steps", [
    { id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: step },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

const referenceOf = async (callId: string) =>
  (await query((db) => db.select().from(tickets).where(eq(tickets.callId, callId))))[0]?.reference ?? "";

describe("ticket confirmations by email", () => {
  it("emails a web visitor's ticket reference once, standalone, and a reply to it opens a new email thread", async () => {
    const address = `web-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const { threadId } = await openThread("hello");
    const callId = `call_${crypto.randomUUID()}`;
    expect((await runStep(ticketStep(threadId, callId, address, "web"))).explicitAcks).toHaveLength(1);
    expect((await runStep(ticketStep(threadId, callId, address, "web"))).explicitAcks).toHaveLength(1);
    const reference = await referenceOf(callId);
    expect(reference).toMatch(/^FH-/);
    const sent = await outboxFor(address);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.parsed.subject).toBe(`Ticket ${reference}: Change my order`);
    expect(sent[0]?.parsed.text).toContain(reference);
    expect(sent[0]?.parsed.replyTo).toBeUndefined();

    // Answering it never joins the web conversation (its history is not for whoever holds that mailbox).
    await deliverEmail({ from: address, inReplyTo: sent[0]?.parsed.messageId, body: "Thanks, any news?" });
    const threadsOf = await query((db) =>
      db.select().from(emailThreads).where(eq(emailThreads.address, address)),
    );
    expect(threadsOf).toHaveLength(1);
    expect(threadsOf[0]?.threadId).not.toBe(threadId);
  });

  it("sends the confirmation on the email thread the address belongs to", async () => {
    const address = `mail-${crypto.randomUUID().slice(0, 8)}@example.com`;
    await deliverEmail({
      from: address,
      subject: "Size change",
      messageId: "<size-1@example.com>",
      body: "Hello there",
    });
    const [thread] = await query((db) =>
      db.select().from(emailThreads).where(eq(emailThreads.address, address)),
    );
    if (!thread) throw new Error("no email thread");
    const callId = `call_${crypto.randomUUID()}`;
    await runStep(ticketStep(thread.threadId, callId, address, "email"));
    const sent = await outboxFor(address);
    expect(sent).toHaveLength(2);
    const confirmation = sent[1];
    expect(confirmation?.parsed.text).toContain(await referenceOf(callId));
    expect(confirmation?.parsed.subject).toBe("Re: Size change");
    expect(confirmation?.parsed.inReplyTo).toBe("<size-1@example.com>");
    expect(confirmation?.parsed.replyTo?.[0]?.address).toBe(
      `support+t_${thread.replyToken}@fernhill.example`,
    );
  });

  it("confirms a ticket without an email at its email thread's address", async () => {
    const address = `bare-${crypto.randomUUID().slice(0, 8)}@example.com`;
    await deliverEmail({
      from: address,
      subject: "Broken zip",
      messageId: "<zip-1@example.com>",
      body: "Hello",
    });
    const [thread] = await query((db) =>
      db.select().from(emailThreads).where(eq(emailThreads.address, address)),
    );
    if (!thread) throw new Error("no email thread");
    const callId = `call_${crypto.randomUUID()}`;
    await runStep(ticketStep(thread.threadId, callId, null, "email"));
    const sent = await outboxFor(address);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.parsed.text).toContain(await referenceOf(callId));
    expect(sent[1]?.parsed.inReplyTo).toBe("<zip-1@example.com>");
  });
});
