import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailMessages, emailThreads, threads } from "../../db/schema.ts";
import { readThread } from "../../test-tools/agent-api.ts";
import { deliver, outboxFor, rawEmail, SUPPORT, TestEmail } from "../../test-tools/email.ts";
import { eventually, query } from "../../test-tools/remote-controls.ts";
import { REJECTED, receiveEmail } from "./inbound.ts";

const visitor = () => `visitor-${crypto.randomUUID().slice(0, 8)}@example.com`;

async function emailThreadOf(address: string) {
  return query((db) => db.select().from(emailThreads).where(eq(emailThreads.address, address)));
}

describe("email(): the email channel", () => {
  it("answers a new email with a cited reply that threads, and a reply to it joins the same thread", async () => {
    const from = visitor();
    const first = await deliver({
      from,
      subject: "Refund question",
      messageId: "<first-1@example.com>",
      body: "How long does a refund take to reach my card?\n\n-- \nAna\nSent from my phone",
    });
    expect(first.rejected).toBeNull();
    const [reply] = await outboxFor(from);
    expect(reply).toBeDefined();
    if (!reply) return;
    expect(reply.file).toMatch(/\.eml$/);
    expect(reply.parsed.inReplyTo).toBe("<first-1@example.com>");
    expect(reply.parsed.subject).toBe("Re: Refund question");
    expect(reply.parsed.from?.address).toBe(SUPPORT);
    expect(reply.parsed.messageId).toMatch(/@fernhill\.example>$/);
    // Citations as links in both parts.
    expect(reply.parsed.text).toMatch(/Sources:\n- .+: https:\/\/\S+/);
    expect(reply.parsed.html).toMatch(/<a href="https:\/\/[^"]+">/);
    const replyTo = reply.parsed.replyTo?.[0]?.address ?? "";
    expect(replyTo).toMatch(/^support\+t_[A-Za-z0-9_-]{16,64}@fernhill\.example$/);

    const [thread] = await emailThreadOf(from);
    expect(thread?.verified).toBe(false);
    if (!thread) return;

    await deliver({
      from,
      subject: "Re: Refund question",
      messageId: "<second-2@example.com>",
      inReplyTo: reply.parsed.messageId,
      references: `<first-1@example.com> ${reply.parsed.messageId}`,
      body: `And can I return sale items?\n\nOn Wed, 2 Dec 2026 Fernhill wrote:\n> ${reply.parsed.text?.split("\n")[0]}`,
    });
    const sent = await outboxFor(from);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.parsed.inReplyTo).toBe("<second-2@example.com>");
    expect(sent[1]?.parsed.references).toContain("<first-1@example.com>");
    // Still one email thread for this address, and the conversation holds both questions, quotes stripped.
    expect(await emailThreadOf(from)).toHaveLength(1);
    const view = await readThread(thread.threadId, thread.threadToken);
    expect(view.body.channel).toBe("email");
    expect(view.body.messages.filter((m) => m.role === "user").map((m) => m.content)).toEqual([
      "Refund question\n\nHow long does a refund take to reach my card?",
      "And can I return sale items?",
    ]);
    const ids = await query((db) =>
      db.select().from(emailMessages).where(eq(emailMessages.threadId, thread.threadId)),
    );
    expect(
      ids
        .filter((m) => m.direction === "in")
        .map((m) => m.messageId)
        .sort(),
    ).toEqual(["<first-1@example.com>", "<second-2@example.com>"]);
    const row = await eventually(async () => {
      const [t] = await query((db) => db.select().from(threads).where(eq(threads.id, thread.threadId)));
      return t;
    });
    expect(row.channel).toBe("email");

    // A mail client that drops In-Reply-To still reaches the thread through the reply address.
    await deliver({ from, to: replyTo, subject: "one more", body: "Do you ship to Norway?" });
    expect(await outboxFor(from)).toHaveLength(3);
    expect(await emailThreadOf(from)).toHaveLength(1);
    const after = await readThread(thread.threadId, thread.threadToken);
    expect(after.body.messages.filter((m) => m.role === "user").at(-1)?.content).toBe(
      "Do you ship to Norway?",
    );
  });

  it("answers a redelivered email once", async () => {
    const from = visitor();
    const mail = {
      from,
      messageId: `<dup-${crypto.randomUUID()}@example.com>`,
      body: "Do you ship to Austria?",
    };
    await deliver(mail);
    await deliver(mail);
    expect(await outboxFor(from)).toHaveLength(1);
    expect(await emailThreadOf(from)).toHaveLength(1);
  });

  it("notes attachments by name and size for the thread, without their content", async () => {
    const from = visitor();
    const body = [
      "--b1",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "My parcel arrived damaged, photo attached.",
      "--b1",
      'Content-Type: image/jpeg; name="parcel.jpg"',
      'Content-Disposition: attachment; filename="parcel.jpg"',
      "Content-Transfer-Encoding: base64",
      "",
      btoa("SECRET-PIXELS ".repeat(100)),
      "--b1--",
      "",
    ].join("\n");
    await deliver({
      from,
      subject: "Damaged",
      headers: { "Content-Type": 'multipart/mixed; boundary="b1"' },
      body,
    });
    const [thread] = await emailThreadOf(from);
    if (!thread) throw new Error("no email thread");
    const view = await readThread(thread.threadId, thread.threadToken);
    const first = view.body.messages.find((m) => m.role === "user")?.content ?? "";
    expect(first).toContain("My parcel arrived damaged, photo attached.");
    expect(first).toContain("[Attachments, not opened: parcel.jpg (image/jpeg, 2 KB)]");
    expect(first).not.toContain("SECRET");
  });

  it("ignores auto-replies, bounces and lists without answering or bouncing", async () => {
    const cases: { from: string; headers: Record<string, string> }[] = [
      { from: visitor(), headers: { "Auto-Submitted": "auto-replied" } },
      { from: visitor(), headers: { Precedence: "bulk" } },
      { from: visitor(), headers: { "List-Id": "<news.example.com>" } },
      { from: `mailer-daemon@${crypto.randomUUID().slice(0, 8)}.example.com`, headers: {} },
    ];
    for (const c of cases) {
      const message = await deliver({ ...c, body: "I am out of the office until Monday." });
      expect(message.rejected).toBeNull();
      expect(await outboxFor(c.from)).toEqual([]);
      expect(await emailThreadOf(c.from)).toEqual([]);
    }
  });

  it("gives no order details to a From address DMARC did not vouch for, and does to one it did", async () => {
    const owner = "ana.kovac@example.com";
    for (const dmarc of [undefined, "fail"] as const) {
      const messageId = `<spoof-${crypto.randomUUID()}@example.com>`;
      const spoof = await deliver({ from: owner, dmarc, messageId, body: "Where is my order FH-100231?" });
      expect(spoof.rejected).toBeNull();
      const reply = (await outboxFor(owner)).find((m) => m.parsed.inReplyTo === messageId);
      expect(reply?.parsed.text).toBeDefined();
      expect(reply?.parsed.text).not.toMatch(/shipped|tracking|DHL|1Z/i);
      expect(reply?.parsed.text).toMatch(/email/i);
    }
    const messageId = `<owner-${crypto.randomUUID()}@example.com>`;
    await deliver({ from: owner, dmarc: "pass", messageId, body: "Where is my order FH-100231?" });
    const reply = (await outboxFor(owner)).find((m) => m.parsed.inReplyTo === messageId);
    expect(reply?.parsed.text).toContain("FH-100231");
    expect(reply?.parsed.text).toContain("shipped");
  });

  it("still serves an order whose number and email are both written in the message", async () => {
    const from = visitor();
    await deliver({ from, body: "Where is my order FH-100231? My email is ana.kovac@example.com" });
    const [reply] = await outboxFor(from);
    expect(reply?.parsed.text).toContain("shipped");
  });

  it("refuses an oversized email politely, before reading it", async () => {
    const from = visitor();
    const message = await deliver({ from, body: "See the attached photos." }, 600 * 1024);
    expect(message.rejected).toBe(REJECTED.too_large);
    expect(await outboxFor(from)).toEqual([]);
    expect(await emailThreadOf(from)).toEqual([]);
  });

  it("refuses email while the email channel is switched off", async () => {
    const from = visitor();
    const message = new TestEmail(from, SUPPORT, rawEmail({ from, body: "Hello?" }));
    const ctx = createExecutionContext();
    const outcome = await receiveEmail(message, { ...env, ENABLED_CHANNELS: "web,slack" }, ctx);
    await waitOnExecutionContext(ctx);
    expect(outcome).toEqual({ kind: "rejected", reason: "channel_off" });
    expect(message.rejected).toBe(REJECTED.channel_off);
    expect(await outboxFor(from)).toEqual([]);
  });

  it("prints the email turn time, delivery to reply written (p50 over 20 emails)", async () => {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const from = visitor();
      const t0 = performance.now();
      await deliver({ from, subject: "Shipping", body: "How long does delivery to Germany take?" });
      times.push(performance.now() - t0);
      expect(await outboxFor(from)).toHaveLength(1);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const p50 = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
    console.log(
      `email turn (delivery -> reply written, workers test pool; npm run bench:email for wrangler dev): p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, n=20`,
    );
  });
});
