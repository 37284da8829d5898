/**
 * Reads and validates a JSON body: the right content type (415), at most BODY_MAX_BYTES (413), valid JSON
 * (400 invalid_json:body) and the route's zod schema (400 invalid_input:body, naming the field). The size is
 * counted while the body streams in, so a chunked body without Content-Length (or one that lies about it) is
 * cut off at the limit instead of being buffered whole first.
 */
import type { Context } from "hono";
import type { z } from "zod";
import { BODY_MAX_BYTES } from "../../core/contracts/api.ts";
import { AppError } from "../../core/errors.ts";

export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError("unsupported_media_type:body", "Send the body as application/json.");
  }
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > BODY_MAX_BYTES) throw tooLarge();
  const bytes = await readLimited(c.req.raw.body, BODY_MAX_BYTES);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    throw new AppError("invalid_json:body", "The body is not valid JSON.");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0] === undefined ? "body" : String(issue.path[0]);
    const detail =
      issue?.code === "unrecognized_keys"
        ? `unknown field ${issue.keys.join(", ")}`
        : `${issue?.path.join(".") || "body"}: ${issue?.message}`;
    throw new AppError(`invalid_input:${field}`, `Invalid request: ${detail}.`);
  }
  return parsed.data;
}

/** The whole body, or too_large:body as soon as more than `limit` bytes have arrived (the rest is not read). */
export async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

function tooLarge(): AppError {
  return new AppError("too_large:body", `The body is over ${BODY_MAX_BYTES} bytes.`);
}
