import { describe, expect, it } from "vitest";
import type { InboxEvent, LiveEvent } from "../../core/contracts/live.ts";
import { call, openThread, say } from "../../test-tools/agent-api.ts";
import { createTestStaff, type TestStaff } from "../../test-tools/staff-accounts.ts";

type Frame = LiveEvent | InboxEvent;

/** A live socket through the Worker's fetch handler, with every frame it hears. */
async function connect(path: string, headers: Record<string, string>) {
  const response = await call(path, { headers: { upgrade: "websocket", ...headers } });
  const ws = response.webSocket;
  if (response.status !== 101 || !ws) return { response, socket: null };
  ws.accept();
  const frames: Frame[] = [];
  ws.addEventListener("message", (e) => {
    frames.push(JSON.parse(String(e.data)) as Frame);
  });
  const socket = {
    ws,
    frames,
    protocol: response.headers.get("sec-websocket-protocol"),
    send: (frame: unknown) => ws.send(JSON.stringify(frame)),
    async next(match: (f: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
      const started = Date.now();
      for (;;) {
        const found = frames.find(match);
        if (found) return found;
        if (Date.now() - started > timeoutMs)
          throw new Error(`no matching frame; heard ${JSON.stringify(frames)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
  return { response, socket };
}

const visitorSocket = (threadId: string, token: string) =>
  connect(`/api/agent/thread/${threadId}/live`, {
    "sec-websocket-protocol": `support-agent.v1, token.${token}`,
  });
const staffSocket = (staff: TestStaff, threadId: string) =>
  connect(`/api/console/conversations/${threadId}/live`, staff.bearer);

const act = (staff: TestStaff, threadId: string, action: string, body?: Record<string, unknown>) =>
  call(`/api/console/conversations/${threadId}/${action}`, {
    method: "POST",
    headers: { ...staff.bearer, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

const isMessage = (role: string, content?: string) => (f: Frame) =>
  f.type === "message" && f.message.role === role && (content === undefined || f.message.content === content);

describe("the live channel", () => {
  it("carries takeover, replies, visitor messages and typing both ways, never notes to the visitor", async () => {
    const maya = await createTestStaff("Maya");
    const { threadId, token } = await openThread("I'd like to talk to a person, please.");
    const { socket: visitor } = await visitorSocket(threadId, token);
    const { socket: staff } = await staffSocket(maya, threadId);
    if (!visitor || !staff) throw new Error("no socket");
    expect(visitor.protocol).toBe("support-agent.v1");
    // Each listener first hears who answers now.
    expect(visitor.frames[0] ?? (await visitor.next((f) => f.type === "status"))).toMatchObject({
      type: "status",
      status: "handoff",
      owner: null,
    });

    expect((await act(maya, threadId, "takeover")).status).toBe(200);
    await visitor.next(isMessage("event", "Maya from Fernhill Outfitters joined."));
    await visitor.next((f) => f.type === "status" && f.owner?.name === "Maya");

    await act(maya, threadId, "messages", { content: "Courier claim needed", internal: true });
    await act(maya, threadId, "messages", { content: "Hi, Maya here." });
    const reply = await visitor.next(isMessage("staff", "Hi, Maya here."));
    expect(reply.type === "message" && reply.message.meta).toEqual({ staffName: "Maya" });
    await staff.next(isMessage("note", "Courier claim needed"));
    // The note went out before the reply on the same socket: had the visitor heard it, it would be here.
    expect(JSON.stringify(visitor.frames)).not.toContain("Courier claim needed");
    expect(JSON.stringify(visitor.frames)).not.toContain(maya.id);

    await say(threadId, token, "Thanks Maya!");
    await staff.next(isMessage("user", "Thanks Maya!"));

    visitor.send({ type: "typing", on: true });
    await staff.next((f) => f.type === "typing" && f.from === "visitor" && f.on);
    staff.send({ type: "typing", on: true });
    await visitor.next((f) => f.type === "typing" && f.from === "staff" && f.name === "Maya" && f.on);

    expect((await act(maya, threadId, "release")).status).toBe(200);
    await visitor.next((f) => f.type === "status" && f.status === "open" && f.owner === null);
    visitor.ws.close(1000, "done");
    staff.ws.close(1000, "done");
  });

  it("checks who is asking before it upgrades", async () => {
    const maya = await createTestStaff("Maya");
    const { threadId, token } = await openThread("Hello there");
    const wrong = await visitorSocket(threadId, `${token}x`);
    expect(wrong.response.status).toBe(404);
    expect(wrong.socket).toBeNull();
    const unknown = await visitorSocket(crypto.randomUUID(), token);
    expect(unknown.response.status).toBe(404);
    const stranger = await connect(`/api/console/conversations/${threadId}/live`, {});
    expect(stranger.response.status).toBe(401);
    const revoked = await connect(`/api/console/conversations/${threadId}/live`, {
      authorization: "Bearer sa_staff_not-a-real-token",
    });
    expect(revoked.response.status).toBe(401);
    const foreign = await connect(`/api/console/conversations/${threadId}/live`, {
      ...maya.bearer,
      origin: "https://evil.example",
    });
    expect(foreign.response.status).toBe(403);
    const notUpgrade = await call(`/api/agent/thread/${threadId}/live`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(notUpgrade.status).toBe(400);
  });

  it("tells every open console inbox when a conversation starts waiting for a person", async () => {
    const maya = await createTestStaff("Maya");
    const { socket: inbox } = await connect("/api/console/live", maya.bearer);
    if (!inbox) throw new Error("no socket");
    const { threadId, token } = await openThread("Do you ship to Norway?");
    await say(threadId, token, "I'd like to talk to a person, please.");
    await inbox.next((f) => f.type === "inbox" && f.thread_id === threadId && f.status === "handoff");
    inbox.ws.close(1000, "done");
  });
});
