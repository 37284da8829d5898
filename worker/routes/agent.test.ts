import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { ThreadView } from "../../core/contracts/api.ts";
import { feedback } from "../../db/schema.ts";
import { call, openThread, postMessage, readEvents, readThread, say } from "../../test-tools/agent-api.ts";
import { query } from "../../test-tools/remote-controls.ts";

describe("POST /api/agent/messages", () => {
  it("opens a thread, answers, and continues it with the token", async () => {
    const first = await openThread("Hello there");
    expect(first.threadId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.token.length).toBeGreaterThanOrEqual(40);
    expect(first.reply.message.role).toBe("assistant");
    expect(first.reply.message.meta).toMatchObject({ brain: "offline", offline: true });

    const second = await say(
      first.threadId,
      first.token,
      "Where is my order FH-100231? My email is ana.kovac@example.com",
    );
    expect(second.thread_id).toBe(first.threadId);
    expect(second.thread_token).toBeUndefined();
    expect(second.message.content).toContain("FH-100231");
    expect(second.message.content).toContain("shipped");

    const view = await readThread(first.threadId, first.token);
    expect(view.status).toBe(200);
    expect(view.body.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(view.body.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it("reaches the same thread with the id in upper case and the scheme as `bearer` in any case", async () => {
    const { threadId, token, reply } = await openThread("Hello there");
    const upper = threadId.toUpperCase();
    const second = await postMessage({ message: "thanks!", thread_id: upper }, { token });
    expect(second.status).toBe(200);
    expect(((await second.json()) as { thread_id: string }).thread_id).toBe(threadId);
    for (const scheme of ["bearer", "BEARER"]) {
      const response = await call("/api/agent/messages", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `${scheme} ${token}` },
        body: JSON.stringify({ message: `thanks, ${scheme}`, thread_id: upper }),
      });
      expect(response.status).toBe(200);
    }
    const view = await call(`/api/agent/thread/${upper}`, { headers: { authorization: `bearer ${token}` } });
    expect(view.status).toBe(200);
    const body = (await view.json()) as ThreadView;
    expect(body.thread_id).toBe(threadId);
    expect(body.messages.filter((m) => m.role === "user").map((m) => m.content)).toEqual([
      "Hello there",
      "thanks!",
      "thanks, bearer",
      "thanks, BEARER",
    ]);
    const rated = await call("/api/agent/feedback", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ thread_id: upper, message_id: reply.message.id.toUpperCase(), rating: "up" }),
    });
    expect(rated.status).toBe(201);
    const stored = await query((db) => db.select().from(feedback).where(eq(feedback.threadId, threadId)));
    expect(stored.map((f) => f.messageId)).toEqual([reply.message.id]);
  });

  it("never shows an order to someone with the wrong email, and answers as if the number were wrong", async () => {
    const wrongEmail = await openThread("Where is my order FH-100231? My email is mallory@example.com");
    const wrongNumber = await openThread("Where is my order FH-199999? My email is ana.kovac@example.com");
    for (const { reply } of [wrongEmail, wrongNumber]) {
      expect(reply.message.content).toContain("couldn't find an order with that order number and email");
      expect(reply.message.content).not.toMatch(/shipped|DHL|Alpine|tracking/i);
    }
    expect(wrongEmail.reply.message.content).toBe(wrongNumber.reply.message.content);
  });

  it("finds an order by its number without the prefix, still only with its email", async () => {
    const bare = await openThread("Where is order 100231? My email is ana.kovac@example.com");
    expect(bare.reply.message.content).toContain("Your order FH-100231 has been shipped");
    const stranger = await openThread("Where is order 100231? My email is mallory@example.com");
    expect(stranger.reply.message.content).toContain(
      "couldn't find an order with that order number and email",
    );
  });

  it("streams a turn as server-sent events ending with the final message", async () => {
    const response = await postMessage({ message: "Hi, who am I talking to?" }, { stream: true });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = await readEvents(response);
    expect(events[0]?.event).toBe("thread");
    expect(events[0]?.data).toMatchObject({
      thread_id: expect.any(String),
      thread_token: expect.any(String),
    });
    expect(events.map((e) => e.event)).toContain("status");
    expect(events.at(-1)?.event).toBe("message");
    expect(events.at(-1)?.data).toMatchObject({
      message: { role: "assistant", content: expect.any(String) },
    });
  });

  it("answers a retried message once, by client_message_id", async () => {
    const { threadId, token } = await openThread("hello");
    const a = await say(threadId, token, "thanks!", { client_message_id: "retry-test-0001" });
    const b = await say(threadId, token, "thanks!", { client_message_id: "retry-test-0001" });
    expect(b.message.id).toBe(a.message.id);
    const view = await readThread(threadId, token);
    expect(view.body.messages).toHaveLength(4);
  });

  it("answers 20 concurrent messages into one thread, each with its own answer, once, in arrival order", async () => {
    const { threadId, token } = await openThread("hello");
    const texts = Array.from({ length: 20 }, (_, i) => `thanks number ${i}`);
    const replies = await Promise.all(
      texts.map((t, i) => say(threadId, token, t, { client_message_id: `concurrent-${i}-abcdef` })),
    );
    expect(new Set(replies.map((r) => r.message.id)).size).toBe(20);
    const view = await readThread(threadId, token, 100);
    const messages = view.body.messages;
    // Every message once, each directly followed by its answer, in the order the thread took them.
    expect(messages.map((m) => m.role).join(",")).toBe(Array(21).fill("user,assistant").join(","));
    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
    const users = messages.filter((m) => m.role === "user").map((m) => m.content);
    expect([...users.slice(1)].sort()).toEqual([...texts].sort());
    // The reply each request got is the answer stored right after its own message.
    texts.forEach((text, i) => {
      const at = messages.findIndex((m) => m.role === "user" && m.content === text);
      expect(messages[at + 1]?.id).toBe(replies[i]?.message.id);
    });
  });
});

describe("answers from the help centre", () => {
  it("cites a demo help article with its title and URL", async () => {
    const { reply } = await openThread("How long do refunds take?");
    expect(reply.message.citations.length).toBeGreaterThan(0);
    const [first] = reply.message.citations;
    expect(first?.url).toMatch(/^https:\/\/help\.fernhill\.example\/articles\//);
    expect(reply.message.content).toContain(`(See: [${first?.title}](${first?.url}))`);
    expect(reply.message.content).toMatch(/business days/);
  });

  it("never shows staff-only or unreviewed articles to web visitors", async () => {
    for (const question of [
      "escalation guide for support staff tier 2 oncall",
      "goodwill compensation guidelines for staff",
      "holiday shipping deadlines 2026 last order dates",
    ]) {
      const { reply } = await openThread(question);
      const docs = reply.message.citations.map((c) => c.docId);
      expect(docs).not.toContain("kb-escalation-guide-staff");
      expect(docs).not.toContain("kb-goodwill-guidelines-staff");
      expect(docs).not.toContain("kb-holiday-shipping-deadlines-2026");
      expect(reply.message.content).not.toMatch(/t2-oncall|support-escalations/);
    }
  });
});

describe("bad input", () => {
  const expectError = async (response: Response, status: number, code: string) => {
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).not.toMatch(/at .*:\d+:\d+/);
  };

  it("rejects an empty, a too long and a malformed message with stable codes", async () => {
    await expectError(await postMessage({ message: "   " }), 400, "invalid_input:message");
    await expectError(await postMessage({ message: "x".repeat(4001) }), 400, "invalid_input:message");
    await expectError(await postMessage({ message: 42 }), 400, "invalid_input:message");
    await expectError(await postMessage({ message: "hi", admin: true }), 400, "invalid_input:body");
    await expectError(
      await postMessage({ message: "hi", thread_id: "not-a-uuid" }),
      400,
      "invalid_input:thread_id",
    );
  });

  it("rejects invalid JSON, a wrong content type and an oversized body", async () => {
    const headers = { "content-type": "application/json" };
    await expectError(
      await call("/api/agent/messages", { method: "POST", headers, body: "{nope" }),
      400,
      "invalid_json:body",
    );
    await expectError(
      await call("/api/agent/messages", {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: "hi",
      }),
      415,
      "unsupported_media_type:body",
    );
    await expectError(
      await call("/api/agent/messages", {
        method: "POST",
        headers,
        body: JSON.stringify({ message: "a".repeat(30_000) }),
      }),
      413,
      "too_large:body",
    );
  });

  it("answers 404 for an unknown thread, a wrong token and a missing token, and stores nothing", async () => {
    const { threadId, token } = await openThread("hello");
    const other = await openThread("hello from someone else");
    await expectError(
      await postMessage({ message: "hi", thread_id: crypto.randomUUID() }, { token }),
      404,
      "not_found:thread",
    );
    await expectError(
      await postMessage({ message: "hi", thread_id: threadId }, { token: other.token }),
      404,
      "not_found:thread",
    );
    await expectError(await postMessage({ message: "hi", thread_id: threadId }), 404, "not_found:thread");
    await expectError(
      await call(`/api/agent/thread/${threadId}`, { headers: { authorization: `Bearer ${other.token}` } }),
      404,
      "not_found:thread",
    );
    await expectError(
      await call(`/api/agent/thread/${crypto.randomUUID()}`, {
        headers: { authorization: `Bearer ${token}` },
      }),
      404,
      "not_found:thread",
    );
    await expectError(await call(`/api/agent/thread/${threadId}`), 404, "not_found:thread");
    const view = await readThread(threadId, token);
    expect(view.body.messages).toHaveLength(2);
  });
});

describe("POST /api/agent/feedback", () => {
  it("stores a rating for a reply of the thread, and refuses another thread's token or message", async () => {
    const { threadId, token, reply } = await openThread("hello");
    const other = await openThread("hi");
    const send = (body: Record<string, unknown>, t: string) =>
      call("/api/agent/feedback", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${t}` },
        body: JSON.stringify(body),
      });
    const ok = await send(
      { thread_id: threadId, message_id: reply.message.id, rating: "up", tags: ["helpful"] },
      token,
    );
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({
      feedback: { message_id: reply.message.id, rating: "up", tags: ["helpful"] },
    });
    const stored = await query((db) =>
      db.select().from(feedback).where(eq(feedback.messageId, reply.message.id)),
    );
    expect(stored).toEqual([
      expect.objectContaining({
        threadId,
        messageId: reply.message.id,
        rating: "up",
        tags: ["helpful"],
        comment: null,
      }),
    ]);
    expect(
      (await send({ thread_id: threadId, message_id: reply.message.id, rating: "down" }, other.token)).status,
    ).toBe(404);
    expect(
      (await send({ thread_id: threadId, message_id: other.reply.message.id, rating: "down" }, token)).status,
    ).toBe(404);
    expect(
      (await send({ thread_id: threadId, message_id: reply.message.id, rating: "meh" }, token)).status,
    ).toBe(400);
    // The refused ratings changed nothing that was stored.
    expect(await query((db) => db.select().from(feedback).where(eq(feedback.threadId, threadId)))).toEqual(
      stored,
    );
  });
});
