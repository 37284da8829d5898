import { describe, expect, it } from "vitest";
import type { RecentThreads, Reply, ThreadView } from "../../core/contracts/api.ts";
import { call } from "../../test-tools/agent-api.ts";
import { mintIdentityToken } from "../../test-tools/identity-token.ts";
import { eventually } from "../../test-tools/remote-controls.ts";

const json = { "content-type": "application/json" };

describe("signed-in visitors", () => {
  it("get their own orders without giving the email, and continue on another device", async () => {
    const sub = `wp-${crypto.randomUUID()}`;
    const laptop = await mintIdentityToken(sub, "ana.kovac@example.com");
    const opened = await call("/api/agent/messages", {
      method: "POST",
      headers: { ...json, "x-identity-token": laptop },
      body: JSON.stringify({ message: "where is my order FH-100231" }),
    });
    expect(opened.status).toBe(201);
    const first = (await opened.json()) as Reply;
    expect(first.message.content).toContain("has been shipped");

    // Another device: a fresh sign-in token, no thread token.
    const phone = await mintIdentityToken(sub, "ana.kovac@example.com");
    // The record reaches Postgres right after the reply.
    const threads = await eventually(async () => {
      const list = await call("/api/agent/threads", { headers: { "x-identity-token": phone } });
      expect(list.status).toBe(200);
      const body = (await list.json()) as RecentThreads;
      return body.threads.length > 0 ? body.threads : undefined;
    });
    expect(threads[0]).toMatchObject({
      thread_id: first.thread_id,
      status: "open",
      preview: expect.stringContaining("FH-100231"),
    });
    const view = await call(`/api/agent/thread/${first.thread_id}`, {
      headers: { "x-identity-token": phone },
    });
    expect(view.status).toBe(200);
    // The phone sees the laptop's conversation: the question and its answer, as stored.
    const seen = (await view.json()) as ThreadView;
    expect(seen.messages.map((m) => [m.role, m.content])).toEqual([
      ["user", "where is my order FH-100231"],
      ["assistant", first.message.content],
    ]);
    const next = await call("/api/agent/messages", {
      method: "POST",
      headers: { ...json, "x-identity-token": phone },
      body: JSON.stringify({ message: "thanks!", thread_id: first.thread_id }),
    });
    expect(next.status).toBe(200);
    const second = (await next.json()) as Reply;
    expect(second.thread_id).toBe(first.thread_id);
    // The continuation lands in the same thread, after the first exchange, for either device.
    const after = await call(`/api/agent/thread/${first.thread_id}`, {
      headers: { "x-identity-token": laptop },
    });
    const all = (await after.json()) as ThreadView;
    expect(all.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(all.messages[2]?.content).toBe("thanks!");
    expect(all.messages[3]?.id).toBe(second.message.id);
  });

  it("cannot open another person's thread or list it", async () => {
    const owner = await mintIdentityToken(`wp-${crypto.randomUUID()}`, "ana.kovac@example.com");
    const opened = (await (
      await call("/api/agent/messages", {
        method: "POST",
        headers: { ...json, "x-identity-token": owner },
        body: JSON.stringify({ message: "hello" }),
      })
    ).json()) as Reply;
    const stranger = await mintIdentityToken(`wp-${crypto.randomUUID()}`, "mallory@example.com");
    expect(
      (await call(`/api/agent/thread/${opened.thread_id}`, { headers: { "x-identity-token": stranger } }))
        .status,
    ).toBe(404);
    const post = await call("/api/agent/messages", {
      method: "POST",
      headers: { ...json, "x-identity-token": stranger },
      body: JSON.stringify({ message: "let me in", thread_id: opened.thread_id }),
    });
    expect(post.status).toBe(404);
    const list = (await (
      await call("/api/agent/threads", { headers: { "x-identity-token": stranger } })
    ).json()) as RecentThreads;
    expect(list.threads.map((t) => t.thread_id)).not.toContain(opened.thread_id);
    expect((await call("/api/agent/threads")).status).toBe(401);
    expect(
      (await call("/api/agent/threads", { headers: { "x-identity-token": "forged.token.value" } })).status,
    ).toBe(401);
  });

  it("\"Where is my order?\" lists the signed-in visitor's own recent orders, and nobody else's", async () => {
    const ask = async (message: string, token?: string) => {
      const res = await call("/api/agent/messages", {
        method: "POST",
        headers: token ? { ...json, "x-identity-token": token } : json,
        body: JSON.stringify({ message }),
      });
      expect(res.status).toBe(201);
      const content = ((await res.json()) as Reply).message.content;
      return { content, orders: [...new Set(content.match(/FH-\d+/g) ?? [])].sort() };
    };
    // demo/orders.json: lukas.brandt@example.net placed FH-100237 and FH-100412, sophie.gruber@… two others.
    const lukas = await mintIdentityToken(`wp-${crypto.randomUUID()}`, "lukas.brandt@example.net");
    const own = await ask("Where is my order?", lukas);
    expect(own.orders).toEqual(["FH-100237", "FH-100412"]);
    expect(own.content).not.toMatch(/e-?mail/i);
    // An address typed into the chat is not a sign-in: still only the verified email's orders.
    const typed = await ask("Where is my order? My email is sophie.gruber@example.org", lukas);
    expect(typed.orders).toEqual(["FH-100237", "FH-100412"]);
    // Signed in with an email that placed no order: nothing listed, the number is asked for.
    const nobody = await mintIdentityToken(`wp-${crypto.randomUUID()}`, "no.orders@example.com");
    const none = await ask("Where is my order?", nobody);
    expect(none.orders).toEqual([]);
    expect(none.content).toMatch(/order number/i);
    // A guest is asked for the number and the email, as before.
    const guest = await ask("Where is my order?");
    expect(guest.orders).toEqual([]);
    expect(guest.content).toMatch(/e-?mail/i);
  });
});
