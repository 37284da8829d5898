/**
 * The thread's live listeners: WebSockets accepted with the Hibernation API (`ctx.acceptWebSocket`), tagged
 * `visitor` or `staff`, so idle connections cost no duration and survive the object sleeping. Each socket's
 * attachment says who it is. New messages go to staff; visitors get a person's replies and the thread's
 * events (by name only, never notes; their own turns answer over HTTP), a change of status or owner goes out as a status frame, typing goes to the other side. Who may
 * listen was checked by the Worker before the upgrade reached the object. Used by thread.ts.
 */
import {
  LISTENER_HEADER,
  LIVE_PROTOCOL,
  type LiveEvent,
  listenerSchema,
  liveInputSchema,
} from "../core/contracts/live.ts";
import type { ThreadMessage } from "../core/contracts/thread.ts";
import type { Logger } from "../core/log.ts";
import { visitorView } from "./conversation.ts";
import type { ThreadState } from "./thread-store.ts";

export class LiveSockets {
  readonly #ctx: DurableObjectState;
  readonly #log: Logger;
  #last: { status: string; owner: string | null } | null;

  constructor(ctx: DurableObjectState, log: Logger, state: ThreadState | null) {
    this.#ctx = ctx;
    this.#log = log;
    this.#last = state ? { status: state.status, owner: state.owner?.id ?? null } : null;
    // Keep-alives are answered by the platform without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /** Accepts an upgrade the Worker has authorised; the listener first hears who answers now. */
  accept(request: Request, state: ThreadState | null): Response {
    const listener = listenerSchema.safeParse(safeJson(request.headers.get(LISTENER_HEADER)));
    if (!state || !listener.success || request.headers.get("upgrade")?.toLowerCase() !== "websocket")
      return new Response("not found", { status: 404 });
    const { 0: client, 1: server } = new WebSocketPair();
    this.#ctx.acceptWebSocket(server, [listener.data.role]);
    server.serializeAttachment(listener.data);
    this.#send(server, statusEvent(state));
    const offered = (request.headers.get("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim());
    const headers: Record<string, string> = offered.includes(LIVE_PROTOCOL)
      ? { "sec-websocket-protocol": LIVE_PROTOCOL }
      : {};
    return new Response(null, { status: 101, webSocket: client, headers });
  }

  /** Messages the thread just stored, and its state after them. */
  publish(messages: ThreadMessage[], state: ThreadState): void {
    const changed = this.#changed(state);
    const visitors = this.#ctx.getWebSockets("visitor");
    const staff = this.#ctx.getWebSockets("staff");
    if (visitors.length === 0 && staff.length === 0) return;
    // The visitor's own messages and the bot's answers reach them as the answer of their request (SSE or
    // JSON); the socket brings what no request of theirs waits for: a person's replies and the thread's events.
    const seen = visitorView(messages).filter((m) => m.role === "staff" || m.role === "event");
    for (const ws of visitors) for (const message of seen) this.#send(ws, { type: "message", message });
    for (const ws of staff) for (const message of messages) this.#send(ws, { type: "message", message });
    if (changed) for (const ws of [...visitors, ...staff]) this.#send(ws, statusEvent(state));
  }

  /** A frame from a listener: typing, passed to the other side. Anything else is ignored. */
  received(ws: WebSocket, raw: string | ArrayBuffer): void {
    const input = liveInputSchema.safeParse(typeof raw === "string" ? safeJson(raw) : null);
    const from = listenerSchema.safeParse(ws.deserializeAttachment());
    if (!input.success || !from.success) return;
    if (from.data.role === "visitor") {
      for (const other of this.#ctx.getWebSockets("staff"))
        this.#send(other, { type: "typing", from: "visitor", on: input.data.on });
    } else {
      const event: LiveEvent = { type: "typing", from: "staff", name: from.data.name, on: input.data.on };
      for (const other of this.#ctx.getWebSockets()) if (other !== ws) this.#send(other, event);
    }
  }

  get count(): number {
    return this.#ctx.getWebSockets().length;
  }

  #changed(state: ThreadState): boolean {
    const now = { status: state.status, owner: state.owner?.id ?? null };
    const before = this.#last;
    this.#last = now;
    return before === null || before.status !== now.status || before.owner !== now.owner;
  }

  #send(ws: WebSocket, event: LiveEvent): void {
    try {
      ws.send(JSON.stringify(event));
    } catch (error) {
      // A socket closing as we write: its close handler cleans up.
      this.#log.debug("live.send_failed", { error });
    }
  }
}

function statusEvent(state: ThreadState): LiveEvent {
  return { type: "status", status: state.status, owner: state.owner ? { name: state.owner.name } : null };
}

function safeJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Answers a listener's close (codes it may not send back, like 1005 and 1006, become 1000). */
export function closeBack(ws: WebSocket, code: number): void {
  try {
    ws.close(code === 1000 || (code >= 3000 && code <= 4999) ? code : 1000, "bye");
  } catch {
    // Already closed by the platform.
  }
}
