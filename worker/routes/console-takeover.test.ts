import { describe, expect, it } from "vitest";
import type { Inbox, Transcript } from "../../core/contracts/console.ts";
import { call, openThread, postMessage, readThread, say } from "../../test-tools/agent-api.ts";
import { eventually } from "../../test-tools/remote-controls.ts";
import { cookieHeader, createTestStaff, signInAs, type TestStaff } from "../../test-tools/staff-accounts.ts";

const act = (staff: TestStaff, threadId: string, action: string, body?: Record<string, unknown>) =>
  call(`/api/console/conversations/${threadId}/${action}`, {
    method: "POST",
    headers: { ...staff.bearer, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

const transcriptOf = async (staff: TestStaff, threadId: string) =>
  (await (
    await call(`/api/console/conversations/${threadId}`, { headers: staff.bearer })
  ).json()) as Transcript;

async function waitingThread() {
  const opened = await openThread("Where is my order FH-100231? My email is ana.kovac@example.com");
  const handoff = await say(opened.threadId, opened.token, "I'd like to talk to a person, please.");
  expect(handoff.status).toBe("handoff");
  return opened;
}

describe("staff taking a conversation over", () => {
  it("takes over, replies and notes; the visitor sees the reply with the name and no bot reply; release gives it back to the bot", async () => {
    const maya = await createTestStaff("Maya");
    const omar = await createTestStaff("Omar");
    const { threadId, token } = await waitingThread();

    const taken = await act(maya, threadId, "takeover");
    expect(taken.status).toBe(200);
    expect(await taken.json()).toEqual({
      conversation: { thread_id: threadId, status: "handoff", owner: { id: maya.id, name: "Maya" } },
    });
    // The inbox mirror is written before the action answers.
    const mine = (await (
      await call("/api/console/conversations?status=mine", { headers: maya.bearer })
    ).json()) as Inbox;
    expect(mine.conversations.find((c) => c.thread_id === threadId)?.owner).toEqual({
      id: maya.id,
      name: "Maya",
    });

    const second = await act(omar, threadId, "takeover");
    expect(second.status).toBe(409);
    expect(await second.json()).toEqual({
      error: { code: "conflict:owner", message: "Maya already owns this conversation." },
    });

    const reply = await act(maya, threadId, "messages", {
      content: "Hi, this is Maya. Let me check that order.",
    });
    expect(reply.status).toBe(201);
    expect(await reply.json()).toMatchObject({ message: { role: "staff", author: "Maya" } });
    const note = await act(maya, threadId, "messages", { content: "Courier claim needed", internal: true });
    expect(note.status).toBe(201);

    // The visitor writes while Maya has it: stored for her, and nothing from the bot.
    const held = await say(threadId, token, "Thanks, I'll wait.");
    expect(held.message).toMatchObject({ role: "user", content: "Thanks, I'll wait." });

    const visitor = await readThread(threadId, token);
    expect(visitor.status).toBe(200);
    // The "team notified" event lands whenever the queue settles; the rest is in order.
    const tail = visitor.body.messages
      .filter((m) => m.role !== "event" || m.meta.outcome?.startsWith("staff:"))
      .slice(-4);
    expect(tail.map((m) => [m.role, m.content])).toEqual([
      ["assistant", expect.any(String)],
      ["event", "Maya from Fernhill Outfitters joined."],
      ["staff", "Hi, this is Maya. Let me check that order."],
      ["user", "Thanks, I'll wait."],
    ]);
    expect(tail[2]?.meta).toEqual({ staffName: "Maya" });
    const seen = JSON.stringify(visitor.body);
    expect(seen).not.toContain("Courier claim needed");
    expect(seen).not.toContain(maya.email);
    expect(seen).not.toContain(maya.id);

    const transcript = await eventually(async () => {
      const t = await transcriptOf(maya, threadId);
      return t.messages.some((m) => m.content === "Thanks, I'll wait.") ? t : undefined;
    });
    expect(transcript.owner).toEqual({ id: maya.id, name: "Maya" });
    expect(transcript.messages.filter((m) => m.role === "staff" || m.role === "note")).toEqual([
      expect.objectContaining({ role: "staff", author: "Maya" }),
      expect.objectContaining({ role: "note", author: "Maya", content: "Courier claim needed" }),
    ]);

    expect((await act(omar, threadId, "release")).status).toBe(409);
    const released = await act(maya, threadId, "release", { reason: "order question answered" });
    expect(released.status).toBe(200);
    expect(await released.json()).toMatchObject({ conversation: { status: "open", owner: null } });
    const answer = await say(threadId, token, "How long do refunds take?");
    expect(answer.message.role).toBe("assistant");
    expect(answer.message.citations.length).toBeGreaterThan(0);
  });

  it("closes with a reason, refuses bad bodies and unknown conversations, and needs staff", async () => {
    const maya = await createTestStaff("Maya");
    const { threadId } = await waitingThread();
    const unknown = await act(maya, crypto.randomUUID(), "takeover");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "not_found:conversation" } });
    const empty = await act(maya, threadId, "messages", { content: "   " });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: { code: "invalid_input:content" } });
    const badReason = await act(maya, threadId, "close", { reason: "bored" });
    expect(badReason.status).toBe(400);
    const stranger = await call(`/api/console/conversations/${threadId}/takeover`, { method: "POST" });
    expect(stranger.status).toBe(401);

    const closed = await act(maya, threadId, "close", { reason: "spam" });
    expect(closed.status).toBe(200);
    const transcript = await transcriptOf(maya, threadId);
    expect(transcript).toMatchObject({ status: "closed", closed_reason: "spam", owner: null });
  });

  it("works from the console's forms with the session's CSRF token, and without it refuses", async () => {
    const maya = await createTestStaff("Maya");
    const omar = await createTestStaff("Omar");
    const { threadId, token } = await waitingThread();
    const { jar, csrf } = await signInAs(maya);
    const post = (action: string, fields: Record<string, string>) =>
      call(`/console/conversations/${threadId}/${action}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
        body: new URLSearchParams(fields),
        redirect: "manual",
      });
    expect((await post("takeover", {})).status).toBe(403);
    const taken = await post("takeover", { csrf });
    expect(taken.status).toBe(303);
    expect(taken.headers.get("location")).toContain(`/console/conversations/${threadId}?notice=`);
    const page = await call(`/console/conversations/${threadId}`, { headers: { cookie: cookieHeader(jar) } });
    const html = await page.text();
    expect(html).toContain("with you");
    expect(html).toContain("Release to the bot");
    expect((await post("messages", { csrf, content: "Hello from the form" })).status).toBe(303);
    expect((await readThread(threadId, token)).body.messages.at(-1)).toMatchObject({
      role: "staff",
      content: "Hello from the form",
    });

    // Someone else's form takeover comes back to the page saying who has it.
    const other = await signInAs(omar);
    const refused = await call(`/console/conversations/${threadId}/takeover`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(other.jar) },
      body: new URLSearchParams({ csrf: other.csrf }),
      redirect: "manual",
    });
    expect(refused.status).toBe(303);
    expect(decodeURIComponent(refused.headers.get("location") ?? "")).toContain(
      "Maya already owns this conversation.",
    );

    expect((await post("release", { csrf })).status).toBe(303);
    const bot = await postMessage({ message: "Do you ship to Switzerland?", thread_id: threadId }, { token });
    expect(((await bot.json()) as { message: { role: string } }).message.role).toBe("assistant");
  });
});
