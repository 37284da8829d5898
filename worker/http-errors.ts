/**
 * How errors leave the Worker: `{ "error": { "code", "message" } }` with the status of the code's kind. An
 * AppError says what happened; anything else is logged with its stack and becomes a generic 500, so a
 * visitor never sees a stack trace or a database message.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, type ErrorCode, errorKind, errorStatus } from "../core/errors.ts";
import { createLogger } from "../core/log.ts";

export function errorResponse(c: Context, code: ErrorCode, message: string): Response {
  return c.json({ error: { code, message } }, errorStatus[errorKind(code)] as ContentfulStatusCode);
}

export function onError(error: Error, c: Context): Response {
  if (error instanceof AppError) return errorResponse(c, error.code, error.message);
  createLogger({ requestId: c.get("requestId") ?? null }).error("http.unhandled", {
    error,
    path: new URL(c.req.url).pathname,
  });
  return errorResponse(c, "internal:server", "Something went wrong on our side. Please try again.");
}

/**
 * A call to a Durable Object that may throw instead of answering (the object was reset or evicted mid-call, or
 * is overloaded): 503 `unavailable:thread`, so the client retries (with the same client_message_id the retry
 * gets the answer the thread still produces).
 */
export async function throughThread<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    throw new AppError("unavailable:thread", "The conversation is busy right now. Please try again.", {
      cause,
    });
  }
}
