/**
 * Checks what the agent sent before the widget trusts it: SSE events, replies and thread views are parsed
 * from JSON and narrowed by hand-written guards (zod would triple the bundle), so a malformed or unexpected
 * payload is dropped instead of half-rendered. The shapes are the Worker's contracts, imported as types only.
 */
import type { RecentThreads, Reply, ThreadView, TurnEvent } from "../core/contracts/api.ts";
import type { LiveEvent } from "../core/contracts/live.ts";
import type { Citation, ThreadMessage, ThreadStatus } from "../core/contracts/thread.ts";
import type { SseEvent } from "./sse.ts";

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === "string";
const optStr = (v: unknown): v is string | undefined => v === undefined || typeof v === "string";

export function isStatus(v: unknown): v is ThreadStatus {
  return v === "open" || v === "handoff" || v === "closed";
}

function isCitation(v: unknown): v is Citation {
  return isObj(v) && isStr(v.ref) && isStr(v.chunkId) && isStr(v.docId) && isStr(v.title) && isStr(v.url);
}

function isCitations(v: unknown): v is Citation[] {
  return Array.isArray(v) && v.every(isCitation);
}

export function isMessage(v: unknown): v is ThreadMessage {
  return (
    isObj(v) &&
    isStr(v.id) &&
    typeof v.seq === "number" &&
    (v.role === "user" || v.role === "assistant" || v.role === "event" || v.role === "staff") &&
    isStr(v.content) &&
    isCitations(v.citations) &&
    isObj(v.meta) &&
    optStr(v.meta.clientId) &&
    optStr(v.meta.ticketReference) &&
    optStr(v.meta.staffName) &&
    isStr(v.createdAt)
  );
}

export function isReply(v: unknown): v is Reply {
  return (
    isObj(v) && isStr(v.thread_id) && optStr(v.thread_token) && isStatus(v.status) && isMessage(v.message)
  );
}

export function isThreadView(v: unknown): v is ThreadView {
  return (
    isObj(v) &&
    isStr(v.thread_id) &&
    isStatus(v.status) &&
    Array.isArray(v.messages) &&
    v.messages.every(isMessage)
  );
}

/** A signed-in visitor's thread list; one malformed entry fails the whole list, like any other payload. */
export function isRecentThreads(v: unknown): v is RecentThreads {
  return (
    isObj(v) &&
    Array.isArray(v.threads) &&
    v.threads.every(
      (t) => isObj(t) && isStr(t.thread_id) && isStatus(t.status) && isStr(t.updated_at) && isStr(t.preview),
    )
  );
}

/** The `{ error: { code, message } }` body of a failed request, if that is what it is. */
export function errorCode(v: unknown): string | null {
  return isObj(v) && isObj(v.error) && isStr(v.error.code) ? v.error.code : null;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** One server-sent event as a typed turn event; null for anything unknown or malformed. */
export function decodeTurnEvent(raw: SseEvent): TurnEvent | null {
  const d = parseJson(raw.data);
  if (!isObj(d)) return null;
  switch (raw.event) {
    case "thread":
      return isStr(d.thread_id) && optStr(d.thread_token)
        ? { event: "thread", data: { thread_id: d.thread_id, thread_token: d.thread_token } }
        : null;
    case "status":
      return d.stage === "queued" || d.stage === "thinking" || d.stage === "tool" || d.stage === "drafting"
        ? { event: "status", data: { stage: d.stage, tool: isStr(d.tool) ? d.tool : undefined } }
        : null;
    case "delta":
    case "replace":
      return isStr(d.text) ? { event: raw.event, data: { text: d.text } } : null;
    case "citations":
      return isCitations(d.citations) ? { event: "citations", data: { citations: d.citations } } : null;
    case "message":
      return isReply(d) ? { event: "message", data: d } : null;
    case "error":
      return isStr(d.code) && isStr(d.message)
        ? { event: "error", data: { code: d.code, message: d.message } }
        : null;
    default:
      return null;
  }
}

/** One live frame from the thread's socket; null for anything unknown or malformed. */
export function decodeLiveEvent(text: string): LiveEvent | null {
  const d = parseJson(text);
  if (!isObj(d)) return null;
  if (d.type === "message") return isMessage(d.message) ? { type: "message", message: d.message } : null;
  if (d.type === "status" && isStatus(d.status)) {
    const owner = isObj(d.owner) && isStr(d.owner.name) ? { name: d.owner.name } : null;
    return { type: "status", status: d.status, owner };
  }
  if (d.type === "typing" && (d.from === "visitor" || d.from === "staff") && typeof d.on === "boolean")
    return { type: "typing", from: d.from, on: d.on, ...(isStr(d.name) ? { name: d.name } : {}) };
  return null;
}
