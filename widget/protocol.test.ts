import { describe, expect, it } from "vitest";
import { decodeLiveEvent, decodeTurnEvent, errorCode, isRecentThreads, isThreadView } from "./protocol.ts";

const message = {
  id: "m1",
  seq: 2,
  role: "assistant",
  content: "Hi",
  citations: [{ ref: "S1", chunkId: "c1", docId: "d1", title: "Refunds", url: "https://help.example/r" }],
  meta: { offline: true },
  createdAt: "2026-11-25T10:00:00Z",
};

describe("decodeTurnEvent", () => {
  it("accepts each event the agent sends", () => {
    const ev = (event: string, data: unknown) => decodeTurnEvent({ event, data: JSON.stringify(data) });
    expect(ev("thread", { thread_id: "t", thread_token: "k" })).toEqual({
      event: "thread",
      data: { thread_id: "t", thread_token: "k" },
    });
    expect(ev("status", { stage: "tool", tool: "get_order", state: "started" })).toEqual({
      event: "status",
      data: { stage: "tool", tool: "get_order" },
    });
    expect(ev("delta", { text: "He" })?.event).toBe("delta");
    expect(ev("replace", { text: "Hello" })?.event).toBe("replace");
    expect(ev("citations", { citations: message.citations })?.event).toBe("citations");
    expect(ev("message", { thread_id: "t", status: "open", message })?.event).toBe("message");
    expect(ev("error", { code: "internal:turn", message: "x" })?.event).toBe("error");
  });

  it("drops malformed or unknown events", () => {
    const ev = (event: string, data: string) => decodeTurnEvent({ event, data });
    expect(ev("delta", "not json")).toBeNull();
    expect(ev("delta", JSON.stringify({ text: 5 }))).toBeNull();
    expect(ev("status", JSON.stringify({ stage: "dancing" }))).toBeNull();
    expect(ev("message", JSON.stringify({ thread_id: "t", status: "weird", message }))).toBeNull();
    expect(
      ev("message", JSON.stringify({ thread_id: "t", status: "open", message: { ...message, seq: "2" } })),
    ).toBeNull();
    expect(
      ev(
        "message",
        JSON.stringify({ thread_id: "t", status: "open", message: { ...message, citations: [{}] } }),
      ),
    ).toBeNull();
    expect(ev("surprise", JSON.stringify({}))).toBeNull();
    expect(ev("delta", "[]")).toBeNull();
  });
});

describe("isThreadView and errorCode", () => {
  it("checks a thread view's messages", () => {
    expect(isThreadView({ thread_id: "t", channel: "web", status: "handoff", messages: [message] })).toBe(
      true,
    );
    expect(isThreadView({ thread_id: "t", channel: "web", status: "open", messages: [{ id: 1 }] })).toBe(
      false,
    );
  });

  it("takes a person's reply with their name, and never a staff-only note", () => {
    const staff = { ...message, role: "staff", citations: [], meta: { staffName: "Maya" } };
    const view = (m: unknown) =>
      isThreadView({ thread_id: "t", channel: "web", status: "handoff", messages: [m] });
    expect(view(staff)).toBe(true);
    expect(view({ ...staff, role: "note" })).toBe(false);
    expect(view({ ...staff, meta: { staffName: 7 } })).toBe(false);
  });

  it("reads the error code of an error body only", () => {
    expect(errorCode({ error: { code: "forbidden:origin", message: "x" } })).toBe("forbidden:origin");
    expect(errorCode({ error: "nope" })).toBeNull();
    expect(errorCode(undefined)).toBeNull();
  });
});

describe("isRecentThreads", () => {
  const entry = { thread_id: "t", status: "open", updated_at: "2026-03-10T12:00:00Z", preview: "Hi" };

  it("accepts the agent's list, empty or not", () => {
    expect(isRecentThreads({ threads: [] })).toBe(true);
    expect(isRecentThreads({ threads: [entry, { ...entry, status: "handoff" }] })).toBe(true);
  });

  it("rejects a list with any malformed entry", () => {
    expect(isRecentThreads({ threads: [entry, { ...entry, preview: null }] })).toBe(false);
    expect(isRecentThreads({ threads: [{ ...entry, status: "archived" }] })).toBe(false);
    expect(isRecentThreads({ threads: "none" })).toBe(false);
    expect(isRecentThreads([entry])).toBe(false);
  });
});

describe("decodeLiveEvent", () => {
  const frame = (v: unknown) => decodeLiveEvent(JSON.stringify(v));

  it("accepts messages, status and typing frames", () => {
    const staff = { ...message, role: "staff", citations: [], meta: { staffName: "Maya" } };
    expect(frame({ type: "message", message: staff })).toEqual({ type: "message", message: staff });
    expect(frame({ type: "status", status: "handoff", owner: { name: "Maya" } })).toEqual({
      type: "status",
      status: "handoff",
      owner: { name: "Maya" },
    });
    expect(frame({ type: "typing", from: "staff", name: "Maya", on: true })).toEqual({
      type: "typing",
      from: "staff",
      name: "Maya",
      on: true,
    });
  });

  it("drops notes, unknown frames and malformed ones", () => {
    expect(frame({ type: "message", message: { ...message, role: "note" } })).toBeNull();
    expect(frame({ type: "status", status: "archived", owner: null })).toBeNull();
    expect(frame({ type: "typing", from: "bot", on: true })).toBeNull();
    expect(frame({ type: "surprise" })).toBeNull();
    expect(decodeLiveEvent("pong")).toBeNull();
  });
});
