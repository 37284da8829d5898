/**
 * The extractive handoff summary staff read before the transcript: why a person was asked for, what the
 * visitor wants, the order numbers and emails the visitor gave, and what the bot already answered. Built from
 * the stored conversation alone (no model), so it exists for every handoff; the console shows a model's
 * summary beside it when one is configured. Pure: used by the console routes and the Slack relay.
 */
import type { HandoffSummary } from "../contracts/console.ts";

export interface SummaryInput {
  /** The handoff's reason as the bot gave it, if there was a handoff. */
  reason: string | null;
  messages: { role: string; content: string; citations?: { title: string }[]; meta?: { outcome?: string } }[];
  toolCalls: { tool: string; status: string; result?: unknown }[];
}

const ORDER_NUMBER = /\b[A-Z]{2,4}-\d{4,10}\b|#\d{4,10}\b/g;
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}/g;
/** A message that only asks for a person says nothing about what the visitor wants. */
const ASKS_FOR_PERSON =
  /^(?:hi|hello|hey|please|i'?d like to|i want to|can i|could i|let me|,|\.|!|\s)*(?:talk|speak|chat)\s+(?:to|with)\s+(?:a|an|some)?\s*(?:person|human|agent|someone|real person|staff)\b[\s\w,.!?']*$/i;
const MAX_WANTS = 280;
const MAX_ANSWERED = 5;

export function extractiveSummary(input: SummaryInput): HandoffSummary {
  const visitor = input.messages.filter((m) => m.role === "user").map((m) => m.content);
  const wants = visitor.find((text) => !ASKS_FOR_PERSON.test(text.trim()) && text.trim().length > 3);
  return {
    source: "extractive",
    why: input.reason ? clip(input.reason, 300) : null,
    wants: wants ? clip(oneLine(wants), MAX_WANTS) : null,
    order_numbers: unique(visitor.flatMap((text) => text.toUpperCase().match(ORDER_NUMBER) ?? [])),
    emails: unique(visitor.flatMap((text) => (text.match(EMAIL) ?? []).map((e) => e.toLowerCase()))),
    answered: answered(input),
  };
}

/** What the bot already told the visitor: the help-centre articles it cited and the lookups it made. */
function answered(input: SummaryInput): string[] {
  const out: string[] = [];
  for (const m of input.messages) {
    if (m.role !== "assistant") continue;
    const titles = unique((m.citations ?? []).map((c) => c.title));
    if (titles.length > 0) out.push(`Answered from ${titles.join(", ")}`);
  }
  for (const call of input.toolCalls) {
    if (call.tool === "get_order") {
      const status = orderStatus(call.result);
      if (call.status === "succeeded" && status) out.push(`Looked up an order: ${status}`);
      else if (call.status === "succeeded") out.push("Looked up an order: not found for the details given");
      else out.push("Tried to look up an order: the lookup failed");
    }
    if (call.tool === "create_ticket" && call.status === "succeeded") out.push("Opened a support ticket");
  }
  return unique(out).slice(0, MAX_ANSWERED);
}

function orderStatus(result: unknown): string | null {
  if (typeof result !== "object" || result === null || !("order" in result)) return null;
  const order = result.order;
  if (typeof order !== "object" || order === null) return null;
  const number = "order_number" in order && typeof order.order_number === "string" ? order.order_number : "";
  const status = "status" in order && typeof order.status === "string" ? order.status : "";
  return number && status ? `${number} is ${status}` : null;
}

/** The inbox's one line: the handoff reason, else what the visitor wants. */
export function summaryLine(summary: HandoffSummary): string | undefined {
  return summary.why ?? summary.wants ?? undefined;
}

const unique = (items: string[]) => [...new Set(items)];
const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
