/**
 * Which of a thread's new messages an email visitor is sent besides the bot's answers (those go out with the
 * email they answer, from worker/email/inbound.ts): a person's replies, and the follow-up of a handoff nobody
 * could take (when the team is back, the ticket, or the question for an address). Never internal notes, never
 * the other events (joined, released, a step settled: a ticket's own confirmation email covers that one).
 * Used by durable-objects/email-relay.ts.
 */
import type { ThreadMessage } from "../contracts/thread.ts";

export function emailedToVisitor(messages: readonly ThreadMessage[]): ThreadMessage[] {
  return messages.filter(
    (m) => m.role === "staff" || (m.role === "event" && (m.meta.outcome ?? "").startsWith("handoff:")),
  );
}
