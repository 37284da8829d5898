/**
 * A turn's first planning decision for one message with no history, as a route: the tool the Brain calls first
 * ("none" when it answers directly) and, for search_kb, the query it searches. The same input a real turn's PLAN
 * gets (tool specs of the enabled tools, plan temperature), for the nightly eval (queues/eval-job.ts), which must
 * measure the live brain, not a copy of it.
 */
import { z } from "zod";
import { PLAN_TEMPERATURE } from "../orchestrator/machine.ts";
import type { Brain, ToolSpec } from "./brain.ts";
import { type RouteLabel, routeLabelSchema } from "./route-label.ts";

const searchArgsSchema = z.object({ query: z.string() });

export async function firstPlan(
  brain: Brain,
  tools: ToolSpec[],
  message: string,
  signal: AbortSignal,
): Promise<{ tool: RouteLabel; query: string | null }> {
  const decision = await brain.decide(
    { mode: "plan", history: [], message, scratch: [], tools, toolsAllowed: true, loggedIn: false },
    { model: "primary", temperature: PLAN_TEMPERATURE, signal },
  );
  if (decision.kind !== "tool_calls") return { tool: "none", query: null };
  const first = decision.calls[0];
  const tool = routeLabelSchema.safeParse(first?.name);
  if (!tool.success) return { tool: "none", query: null };
  if (tool.data !== "search_kb") return { tool: tool.data, query: null };
  let args: unknown = null;
  try {
    args = JSON.parse(first?.arguments ?? "");
  } catch {
    // Malformed arguments: a real turn would ask again; the eval searches the question itself.
  }
  const parsed = searchArgsSchema.safeParse(args);
  return { tool: "search_kb", query: parsed.success ? parsed.data.query : null };
}
