/**
 * Reads and validates a JSON body: the right content type (415), at most BODY_MAX_BYTES (413), valid JSON
 * (400 invalid_json:body) and the route's zod schema (400 invalid_input:body, naming the field).
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
  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength > BODY_MAX_BYTES) throw tooLarge();
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

function tooLarge(): AppError {
  return new AppError("too_large:body", `The body is over ${BODY_MAX_BYTES} bytes.`);
}
