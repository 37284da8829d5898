/**
 * Whose fault a failed tool call was, for the shared circuit breaker (durable-objects/breaker.ts). A breaker is
 * shared by every visitor, so it may count only faults of the upstream itself: a timeout, a connection that
 * failed or was lost, a 5xx, a database that is down or overloaded. A failure caused by what one caller sent
 * (a Postgres data exception such as a NUL byte, a value a schema refused, an order the shop's API describes
 * oddly) says nothing about the upstream's health; counting it would let two anonymous requests switch a tool
 * off for everyone. Used by durable-objects/turn-runner.ts.
 */
import { ZodError } from "zod";
import { AppError, errorKind } from "../errors.ts";

export type ToolFault = "upstream" | "data";

const UPSTREAM_KINDS = new Set(["upstream", "unavailable", "timeout"]);

/**
 * Classifies what a Hand threw. Database errors leave db/ as DbError with a `fault` already decided from the
 * SQLSTATE (class 22/23: data); AppErrors are classified by their code's kind; a schema failure is data.
 * Anything else unclassified is not counted: every upstream adapter wraps its own failures.
 * @example toolFault(new DbError("kb.search", "data", "22021"), false) // "data"
 */
export function toolFault(error: unknown, timedOut: boolean): ToolFault {
  if (timedOut) return "upstream";
  const fault: unknown = typeof error === "object" && error !== null ? Reflect.get(error, "fault") : null;
  if (fault === "upstream" || fault === "data") return fault;
  if (error instanceof ZodError) return "data";
  if (error instanceof AppError) return UPSTREAM_KINDS.has(errorKind(error.code)) ? "upstream" : "data";
  return "data";
}
