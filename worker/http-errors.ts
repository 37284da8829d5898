/**
 * How errors leave the Worker: `{ "error": { "code", "message" } }` with the status of the code's kind, for the
 * codes in core/errors.ts `apiErrors` only. An AppError with one of them says what happened; anything else
 * (another code, or no AppError at all) is logged and becomes a generic 500, so a visitor never sees a stack
 * trace, a database message or an internal code.
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type ApiErrorCode, AppError, isApiErrorCode, statusOf } from "../core/errors.ts";
import { createLogger } from "../core/log.ts";

export function errorResponse(c: Context, code: ApiErrorCode, message: string): Response {
  return c.json({ error: { code, message } }, statusOf(code) as ContentfulStatusCode);
}

export function onError(error: Error, c: Context): Response {
  if (error instanceof AppError && isApiErrorCode(error.code))
    return errorResponse(c, error.code, error.message);
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
