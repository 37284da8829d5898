/**
 * Who a side effect is for. The Brain is untrusted (its text may come from an injection), so it never chooses
 * who is served: a ticket goes to the signed-in visitor's verified email or to an email the visitor typed in
 * this conversation, never to one the Brain wrote itself; a handoff's excerpt is the visitor's own messages,
 * put together here, not the Brain's summary. Used by durable-objects/turn-runner.ts before a side effect is
 * queued.
 */
import type { HistoryItem } from "../brain/brain.ts";
import type { Identity } from "../contracts/thread.ts";

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** The visitor's own messages of the turn, oldest first: the history's user messages, then this one. */
export function visitorMessages(history: readonly HistoryItem[], message: string): string[] {
  return [...history.filter((h) => h.role === "user").map((h) => h.content), message];
}

/** Emails the visitor typed, lower-cased, most recent last. */
export function typedEmails(messages: readonly string[]): string[] {
  return messages.flatMap((m) => (m.match(EMAIL) ?? []).map((e) => e.toLowerCase()));
}

/**
 * The email a ticket may be opened for. The Brain's choice stands only when the visitor gave it (typed it, or
 * it is their verified sign-in); null from the Brain means the sign-in's email, else the last one typed, else
 * none. Any other email is refused: the turn then asks the visitor for one.
 * @example ticketEmail("attacker@evil.example", identity, []) // { ok: false }
 */
export function ticketEmail(
  requested: string | null,
  identity: Identity | null,
  typed: readonly string[],
): { ok: true; email: string | null } | { ok: false } {
  const verified = identity?.email.toLowerCase() ?? null;
  if (requested === null) return { ok: true, email: verified ?? typed.at(-1) ?? null };
  const wanted = requested.trim().toLowerCase();
  if (wanted === verified || typed.includes(wanted)) return { ok: true, email: wanted };
  return { ok: false };
}

/** What a person picking up the conversation reads first: the visitor's last messages, at most 2,000 chars. */
export function handoffExcerpt(messages: readonly string[]): string {
  return messages
    .slice(-5)
    .map((m) => `visitor: ${m}`)
    .join("\n")
    .slice(-2000);
}
