/**
 * The Hands by name, and the one place that turns a Brain's raw tool call into a validated one. Rollout
 * switches (per-tool flags) narrow this list per request.
 */
import { z } from "zod";
import { createTicket } from "./create-ticket.ts";
import type { Hand } from "./define-hand.ts";
import { getOrder } from "./get-order.ts";
import { handoffHuman } from "./handoff-human.ts";
import { searchKb } from "./search-kb.ts";

export const toolNameSchema = z.enum(["search_kb", "get_order", "create_ticket", "handoff_human"]);
export type ToolName = z.infer<typeof toolNameSchema>;

// Each Hand keeps its precise types in its own module; the registry only needs the common shape.
export const hands: Record<ToolName, Hand> = {
  search_kb: searchKb as Hand,
  get_order: getOrder as Hand,
  create_ticket: createTicket as Hand,
  handoff_human: handoffHuman as Hand,
};

export type ParsedCall =
  | { ok: true; id: string; tool: ToolName; args: unknown }
  | { ok: false; id: string; name: string; problem: string };

/** Parses a call's name and JSON arguments against the enabled tools; the problem text is shown to the Brain. */
export function parseToolCall(
  call: { id: string; name: string; arguments: string },
  enabled: readonly ToolName[],
): ParsedCall {
  const name = toolNameSchema.safeParse(call.name);
  if (!name.success || !enabled.includes(name.data)) {
    return {
      ok: false,
      id: call.id,
      name: call.name,
      problem: `Unknown tool "${call.name}". Use one of: ${enabled.join(", ")}.`,
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(call.arguments || "{}");
  } catch {
    return { ok: false, id: call.id, name: call.name, problem: "The arguments are not valid JSON." };
  }
  const parsed = hands[name.data].input.safeParse(raw);
  if (!parsed.success) {
    const problem = parsed.error.issues
      .map((i) => `${i.path.join(".") || "arguments"}: ${i.message}`)
      .join("; ");
    return { ok: false, id: call.id, name: call.name, problem: `Invalid arguments: ${problem}` };
  }
  return { ok: true, id: call.id, tool: name.data, args: parsed.data };
}
