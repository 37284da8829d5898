// Small node:http helpers for the fake LLM server (server.ts): bounded body reading, JSON/SSE writes that
// are safe after the client has gone away, and abortable sleeps so no timer outlives its request.

import type { IncomingMessage, ServerResponse } from "node:http";

// Large enough for long agent transcripts and KB batches, small enough that a runaway test cannot exhaust memory.
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError(`request body exceeds ${MAX_BODY_BYTES} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

// A destroyed response must never be written to: the client disconnecting is a normal event here, not a crash.
export function isGone(res: ServerResponse): boolean {
  return res.destroyed || res.writableEnded;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (isGone(res)) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(payload)),
    ...headers,
  });
  res.end(payload);
}

export function sendRaw(res: ServerResponse, status: number, contentType: string, payload: string): void {
  if (isGone(res)) return;
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": String(Buffer.byteLength(payload)),
  });
  res.end(payload);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  if (isGone(res)) return;
  res.writeHead(status);
  res.end();
}

export function startSse(res: ServerResponse, headers: Record<string, string>): void {
  if (isGone(res)) return;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    ...headers,
  });
  // Headers go out immediately so the SDK resolves the stream before the first delta, as with the real API.
  res.flushHeaders();
}

export function writeSse(res: ServerResponse, data: string): void {
  if (isGone(res)) return;
  res.write(`data: ${data}\n\n`);
}

/** Resolves true after `ms`, or false as soon as `signal` aborts (the timer is cleared either way). */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) {
    // setImmediate rather than a 0 ms timer (~1 ms each): benchmarks stream many chunks with no delay.
    return new Promise((resolve) => setImmediate(() => resolve(!signal.aborted)));
  }
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
