import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailThreads } from "../../db/schema.ts";
import { call } from "../../test-tools/agent-api.ts";
import { deliver, outboxFor, SUPPORT } from "../../test-tools/email.ts";
import { eventually, query } from "../../test-tools/remote-controls.ts";
import { createTestStaff, type TestStaff } from "../../test-tools/staff-accounts.ts";

const act = (staff: TestStaff, threadId: string, action: string, body?: Record<string, unknown>) =>
  call(`/api/console/conversations/${threadId}/${action}`, {
    method: "POST",
    headers: { ...staff.bearer, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

const visitor = () => `visitor-${crypto.randomUUID().slice(0, 8)}@example.com`;

describe("email threads and the people behind them", () => {
  it("sends a person's console reply by email, threaded, and never an internal note", async () => {
    const from = visitor();
    await deliver({
      from,
      subject: "Damaged jacket",
      messageId: "<ask-1@example.com>",
      body: "I want to talk to a person.",
    });
    const [thread] = await query((db) =>
      db.select().from(emailThreads).where(eq(emailThreads.address, from)),
    );
    expect(thread).toBeDefined();
    if (!thread) return;
    const maya = await createTestStaff("Maya");
    expect((await act(maya, thread.threadId, "takeover")).status).toBe(200);
    expect(
      (await act(maya, thread.threadId, "messages", { content: "Courier claim", internal: true })).status,
    ).toBe(201);
    const reply = await act(maya, thread.threadId, "messages", {
      content: "Hi, this is Maya. Could you send a photo of the damage?",
    });
    expect(reply.status).toBe(201);

    const mails = await eventually(async () => {
      const sent = await outboxFor(from);
      return sent.length >= 2 ? sent : undefined;
    });
    const staffMail = mails.at(-1);
    expect(staffMail?.parsed.text).toContain("Could you send a photo of the damage?");
    expect(mails.map((m) => m.parsed.text).join("\n")).not.toContain("Courier claim");
    expect(staffMail?.parsed.from).toMatchObject({ address: SUPPORT, name: "Maya (Fernhill Outfitters)" });
    expect(staffMail?.parsed.inReplyTo).toBe("<ask-1@example.com>");
    expect(staffMail?.parsed.subject).toBe("Re: Damaged jacket");
    expect(staffMail?.parsed.replyTo?.[0]?.address).toBe(`support+t_${thread.replyToken}@fernhill.example`);

    // The visitor's answer reaches Maya's thread and the bot stays quiet.
    await deliver({
      from,
      messageId: "<ask-2@example.com>",
      inReplyTo: staffMail?.parsed.messageId,
      body: "Here it is, the sleeve is torn.",
    });
    expect(await outboxFor(from)).toHaveLength(mails.length);
  });
});
