/**
 * The widget's live channel: one WebSocket to the thread (`/api/agent/thread/{id}/live`) that brings a person's
 * replies, their name and typing, and the thread's status as they happen, and carries the visitor's typing the
 * other way. Browsers cannot send headers on a WebSocket, so the thread token (or the sign-in) rides in the
 * subprotocol list. A socket that drops is reopened with backoff; after a few failures in a row `down` tells
 * chat.ts to poll instead. Keep-alive pings are answered by the platform without waking the thread.
 */
import type { LiveEvent } from "../core/contracts/live.ts";
import type { Auth } from "./api.ts";
import { decodeLiveEvent } from "./protocol.ts";

const RETRY_MS = [1000, 3000, 8000];
const PING_MS = 30_000;

export interface Live {
  typing(on: boolean): void;
  close(): void;
}

export function connectLive(
  base: string,
  threadId: string,
  auth: Auth,
  on: { event(e: LiveEvent): void; up(): void; down(): void },
): Live {
  const url = new URL(`/api/agent/thread/${threadId}/live`, base);
  url.protocol = url.protocol === "http:" ? "ws:" : "wss:";
  const protocols = ["support-agent.v1"];
  if (auth.token) protocols.push(`token.${auth.token}`);
  else if (auth.identity) protocols.push(`identity.${auth.identity}`);
  let ws: WebSocket | null = null;
  let failures = 0;
  let closed = false;
  let ping: ReturnType<typeof setInterval> | undefined;

  const open = () => {
    try {
      ws = new WebSocket(url.href, protocols);
    } catch {
      on.down();
      return;
    }
    const socket = ws;
    socket.onopen = () => {
      failures = 0;
      on.up();
      ping = setInterval(() => socket.readyState === 1 && socket.send("ping"), PING_MS);
    };
    socket.onmessage = (m) => {
      const e = typeof m.data === "string" ? decodeLiveEvent(m.data) : null;
      if (e) on.event(e);
    };
    socket.onclose = () => {
      clearInterval(ping);
      if (closed) return;
      const delay = RETRY_MS[failures++];
      on.down();
      if (delay !== undefined) setTimeout(() => closed || open(), delay);
    };
  };
  open();

  return {
    typing(typing) {
      if (ws?.readyState === 1) ws.send(JSON.stringify({ type: "typing", on: typing }));
    },
    close() {
      closed = true;
      clearInterval(ping);
      ws?.close(1000);
    },
  };
}
