/**
 * Small helpers for Workers tests that talk to the chat API through the Worker's real fetch handler.
 */
import { exports } from "cloudflare:workers";
import type { Reply, ThreadView } from "../core/contracts/api.ts";

const BASE = "https://agent.test";

export function call(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(`${BASE}${path}`, init));
}

export function postMessage(
  body: Record<string, unknown>,
  options: { token?: string; stream?: boolean } = {},
): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.stream) headers.accept = "text/event-stream";
  return call("/api/agent/messages", { method: "POST", headers, body: JSON.stringify(body) });
}

/** Opens a thread with a first message and returns its id, token and first reply. */
export async function openThread(
  message: string,
): Promise<{ threadId: string; token: string; reply: Reply }> {
  const response = await postMessage({ message });
  if (response.status !== 201)
    throw new Error(`opening a thread answered ${response.status}: ${await response.text()}`);
  const reply = (await response.json()) as Reply;
  return { threadId: reply.thread_id, token: reply.thread_token ?? "", reply };
}

export async function say(
  threadId: string,
  token: string,
  message: string,
  extra: Record<string, unknown> = {},
): Promise<Reply> {
  const response = await postMessage({ message, thread_id: threadId, ...extra }, { token });
  if (response.status !== 200)
    throw new Error(`message answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Reply;
}

export async function readThread(
  threadId: string,
  token: string,
  limit = 50,
): Promise<{ status: number; body: ThreadView }> {
  const response = await call(`/api/agent/thread/${threadId}?limit=${limit}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as ThreadView };
}

/** Parses a server-sent event stream into its events. */
export async function readEvents(response: Response): Promise<{ event: string; data: unknown }[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? "null";
      return { event, data: JSON.parse(data) as unknown };
    });
}
