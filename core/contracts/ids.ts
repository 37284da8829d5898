/**
 * Ids that arrive from outside (thread, message and staff ids in bodies and paths). Durable Objects are
 * addressed by name and names are case-sensitive, so an id is lower-cased once, where it comes in: an
 * upper-case spelling of a thread id then reaches the same thread on every route.
 */
import { z } from "zod";

/** A UUID in any case, as its canonical lower-case spelling. */
export const idSchema = z.uuid().transform((id) => id.toLowerCase());

/** The canonical spelling of a path segment that should be an id, or null when it is not one. */
export function parseId(raw: string): string | null {
  const parsed = idSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
