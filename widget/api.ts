/**
 * The widget's client for the chat API: a turn streamed as server-sent events over fetch, the thread view,
 * feedback, and a signed-in visitor's recent threads. A stream that breaks off before its final `message` or
 * `error` event reports "interrupted" so the chat controller can resume it with the same client_message_id.
 * Used by chat.ts.
 */
import type { FeedbackBody, PostMessageBody, ThreadView, TurnEvent } from "../core/contracts/api.ts";
import { decodeTurnEvent, errorCode, isRecentThreads, isReply, isThreadView, parseJson } from "./protocol.ts";
import type { RecentThread } from "./recent-threads.ts";
import { createSseParser } from "./sse.ts";

/** A request the agent refused (code from its error body) or that never reached it (`network:offline`). */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, status: number) {
    super(code);
    this.code = code;
    this.status = status;
  }
}

/** A thread-scoped request carries the thread's token, or else the visitor's sign-in (either opens it). */
export interface Auth {
  token: string | null;
  /** The site's signed identity for a logged-in visitor. */
  identity: string | null;
}

export interface Api {
  stream(body: PostMessageBody, auth: Auth, onEvent: (e: TurnEvent) => void): Promise<"done" | "interrupted">;
  thread(id: string, auth: Auth, limit: number): Promise<ThreadView>;
  feedback(body: FeedbackBody, auth: Auth): Promise<void>;
  /** The signed-in visitor's recent threads, newest first. */
  threads(identity: string): Promise<RecentThread[]>;
}

export function createApi(base: string, device: string): Api {
  const url = (path: string) => new URL(path, base).href;

  const request = async (path: string, init: RequestInit, auth: Auth): Promise<Response> => {
    const headers = new Headers(init.headers);
    headers.set("x-device-id", device);
    if (auth.token) headers.set("authorization", `Bearer ${auth.token}`);
    if (auth.identity) headers.set("x-identity-token", auth.identity);
    let res: Response;
    try {
      res = await fetch(url(path), { ...init, headers, credentials: "omit", cache: "no-store" });
    } catch {
      throw new ApiError("network:offline", 0);
    }
    if (!res.ok) {
      const body = parseJson(await res.text().catch(() => ""));
      throw new ApiError(errorCode(body) ?? `http:${res.status}`, res.status);
    }
    return res;
  };

  return {
    async stream(body, auth, onEvent) {
      const res = await request(
        "/api/agent/messages",
        {
          method: "POST",
          headers: { "content-type": "application/json", accept: "text/event-stream" },
          body: JSON.stringify(body),
        },
        auth,
      );
      // A server (or proxy) that answers with plain JSON still gives the whole reply.
      if (!(res.headers.get("content-type") ?? "").includes("text/event-stream")) {
        const reply = parseJson(await res.text().catch(() => ""));
        if (!isReply(reply)) return "interrupted";
        onEvent({ event: "message", data: reply });
        return "done";
      }
      const reader = res.body?.getReader();
      if (!reader) return "interrupted";
      const decoder = new TextDecoder();
      const parser = createSseParser();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          const events = parser.push(done ? decoder.decode() : decoder.decode(value, { stream: true }));
          for (const raw of events) {
            const event = decodeTurnEvent(raw);
            if (!event) continue;
            onEvent(event);
            if (event.event === "message" || event.event === "error") {
              reader.cancel().catch(() => {});
              return "done";
            }
          }
          if (done) return "interrupted";
        }
      } catch {
        return "interrupted";
      }
    },

    async thread(id, auth, limit) {
      const res = await request(
        `/api/agent/thread/${encodeURIComponent(id)}?limit=${limit}`,
        { headers: { accept: "application/json" } },
        auth,
      );
      const view = parseJson(await res.text());
      if (!isThreadView(view)) throw new ApiError("invalid_response:thread", res.status);
      return view;
    },

    async feedback(body, auth) {
      await request(
        "/api/agent/feedback",
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
        auth,
      );
    },

    async threads(identity) {
      const res = await request(
        "/api/agent/threads",
        { headers: { accept: "application/json" } },
        { token: null, identity },
      );
      const list = parseJson(await res.text());
      if (!isRecentThreads(list)) throw new ApiError("invalid_response:threads", res.status);
      return list.threads;
    },
  };
}
