/**
 * When nobody can take a handoff: outside support hours, or when no one has taken it within the wait
 * (HANDOFF_WAIT_MINUTES). The visitor is told when the team is back, asked for an email if the agent has none,
 * and a ticket is opened, so the promise of a person ends with one by email; the conversation stays in the
 * inbox. Pure: the thread decides when, these say what (and which email a ticket may use).
 */
import type { Identity } from "../contracts/thread.ts";
import { ticketEmail, typedEmails } from "../guardrails/acting-for.ts";
import { describeReturn, isOpen, type SupportSchedule } from "../support-hours.ts";

export type FollowUpReason = "away" | "unanswered";

/** Where a follow-up stands: none yet, waiting for the visitor's email, or a ticket is open. */
export type FollowUpStage = "none" | "awaiting_email" | "ticketed";

export interface HandoffPolicy {
  schedule: SupportSchedule;
  /** How long a handoff waits for a person before the follow-up. */
  waitMs: number;
}

/** Why a follow-up is due now, if it is: away at once outside hours, unanswered after the wait. */
export function followUpDue(
  policy: HandoffPolicy,
  handoff: { since: string; stage: FollowUpStage },
  owned: boolean,
  now: Date,
): FollowUpReason | null {
  if (owned || handoff.stage !== "none") return null;
  if (!isOpen(policy.schedule, now)) return "away";
  return now.getTime() - Date.parse(handoff.since) >= policy.waitMs ? "unanswered" : null;
}

/** The email a follow-up ticket goes to: the verified sign-in, else the last one the visitor typed. */
export function followUpEmail(identity: Identity | null, visitorTexts: readonly string[]): string | null {
  const chosen = ticketEmail(null, identity, typedEmails(visitorTexts));
  return chosen.ok ? chosen.email : null;
}

export function followUpText(
  reason: FollowUpReason,
  schedule: SupportSchedule,
  now: Date,
  ticket: { reference: string | undefined } | null,
): string {
  const back = describeReturn(schedule, now);
  const opening =
    reason === "away"
      ? `Our team is away right now${back ? ` and back ${back}` : ""}.`
      : `Sorry for the wait: nobody from our team has been able to pick this up yet${back && !isOpen(schedule, now) ? `; they're back ${back}` : ""}.`;
  if (!ticket) return `${opening} Leave your email address here and we'll reply to you by email.`;
  return `${opening} We've opened ticket ${ticket.reference ?? "for you"} and the team will reply by email.`;
}

export const ticketedText = (reference: string | undefined, email: string) =>
  `Thanks! Ticket ${reference ?? "for you"} is open and our team will reply to ${email}.`;
