/**
 * WebSocket upgrades to a Durable Object's live channel, shared by the visitor's and the console's routes. A
 * browser cannot set headers on a WebSocket, so the thread token and the sign-in token may ride in
 * Sec-WebSocket-Protocol beside the protocol name (`support-agent.v1, token.<thread token>`); the route checks
 * them before anything is upgraded, then forwards the request with who is listening.
 */
import type { Context } from "hono";
import {
  LISTENER_HEADER,
  LIVE_IDENTITY_PREFIX,
  LIVE_PROTOCOL,
  LIVE_TOKEN_PREFIX,
  type Listener,
} from "../core/contracts/live.ts";
import { AppError } from "../core/errors.ts";

/** The offered subprotocols, and the credentials carried among them. */
export function offeredProtocols(c: Context): { token: string | null; identity: string | null } {
  const offered = (c.req.header("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim());
  const find = (prefix: string) => offered.find((p) => p.startsWith(prefix))?.slice(prefix.length) ?? null;
  return { token: find(LIVE_TOKEN_PREFIX), identity: find(LIVE_IDENTITY_PREFIX) };
}

export function requireUpgrade(c: Context): void {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket")
    throw new AppError("invalid_input:upgrade", "This endpoint speaks WebSocket (Upgrade: websocket).");
}

/** Forwards the upgrade to the object with who is listening; only the protocol name goes on. */
export function forwardUpgrade(
  c: Context,
  stub: { fetch(request: Request): Promise<Response> },
  listener: Listener | null,
): Promise<Response> {
  const headers = new Headers(c.req.raw.headers);
  headers.delete(LISTENER_HEADER);
  headers.delete("authorization");
  headers.delete("cookie");
  // The credentials stay here; the protocol name goes on only if the client offered it.
  const offered = (c.req.header("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim());
  if (offered.includes(LIVE_PROTOCOL)) headers.set("sec-websocket-protocol", LIVE_PROTOCOL);
  else headers.delete("sec-websocket-protocol");
  if (listener) headers.set(LISTENER_HEADER, JSON.stringify(listener));
  return stub.fetch(new Request(c.req.raw.url, { method: "GET", headers }));
}
