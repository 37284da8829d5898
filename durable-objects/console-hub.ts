/**
 * The console's live inbox: one Durable Object (named "inbox") holding every open console page's WebSocket
 * (Hibernation API, so idle pages cost nothing). Thread objects call `changed` when a conversation starts
 * waiting for a person, changes hands or hears from the visitor; the hub tells every page, which re-reads its
 * inbox rows. Who may listen was checked by the Worker (a staff session) before the upgrade reached it.
 */
import { DurableObject } from "cloudflare:workers";
import type { InboxEvent } from "../core/contracts/live.ts";
import { LIVE_PROTOCOL } from "../core/contracts/live.ts";
import { closeBack } from "./live-sockets.ts";

export class ConsoleHub extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket")
      return new Response("not found", { status: 404 });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, ["staff"]);
    const offered = (request.headers.get("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim());
    const headers: Record<string, string> = offered.includes(LIVE_PROTOCOL)
      ? { "sec-websocket-protocol": LIVE_PROTOCOL }
      : {};
    return new Response(null, { status: 101, webSocket: client, headers });
  }

  /** A conversation changed: every console page hears it. */
  changed(event: InboxEvent): number {
    const frame = JSON.stringify(event);
    const sockets = this.ctx.getWebSockets();
    for (const ws of sockets) {
      try {
        ws.send(frame);
      } catch {
        // Closing already; its close handler finishes it.
      }
    }
    return sockets.length;
  }

  override webSocketMessage(): void {
    // Pages only listen.
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    closeBack(ws, code);
  }
}
