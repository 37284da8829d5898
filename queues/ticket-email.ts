/**
 * The confirmation email of a ticket: once create_ticket has opened one, the visitor gets the reference by
 * email, at the ticket's address (their sign-in or one they typed) or, for a ticket without one on an email
 * thread, at that thread's address (where every answer goes anyway, verified or not). On the
 * email thread that address belongs to, it is one more message of that thread; for anyone else (a web or
 * Slack conversation) it stands alone, with the plain support address to reply to, so a reply opens a new
 * email thread and never reads the chat. Keyed by the call id: a retried step sends nothing twice. Called by
 * queues/tool-steps.ts after the ticket is settled; a throw retries the step (then its dead-letter queue).
 */
import { EmailMessage } from "cloudflare:email";
import type { AppConfig } from "../core/config.ts";
import { type MailThread, sendVisitorEmail } from "../core/email/send.ts";
import type { Logger } from "../core/log.ts";
import type { Database } from "../db/client.ts";
import { emailThreadOf, lastReceivedId, messageIdStore } from "../db/email.ts";

export interface OpenedTicket {
  callId: string;
  threadId: string;
  /** The ticket's email; null: the email thread's own address, if the ticket is on one. */
  email: string | null;
  subject: string;
  reference: string;
}

export async function emailTicketConfirmation(
  db: Database,
  sendEmail: SendEmail,
  config: AppConfig,
  ticket: OpenedTicket,
  log: Logger,
): Promise<void> {
  const address = config.email.address;
  if (!address || !config.enabledChannels.includes("email")) return;
  const own = await emailThreadOf(db, ticket.threadId);
  const to = ticket.email?.toLowerCase() ?? own?.address;
  if (!to) return;
  const onThread = own && own.address === to ? own : null;
  const thread: MailThread = onThread ?? {
    threadId: ticket.threadId,
    address: to,
    subject: `Ticket ${ticket.reference}: ${ticket.subject}`,
    replyToken: null,
  };
  await sendVisitorEmail(
    {
      send: (from, rcpt, raw) => sendEmail.send(new EmailMessage(from, rcpt, raw)),
      ids: messageIdStore(db),
      email: { ...config.email, address },
      shopName: config.shop.name,
      log,
    },
    {
      thread,
      key: `ticket-${ticket.callId}`,
      text: confirmationText(ticket, config.shop.supportHours),
      citations: [],
      inReplyTo: onThread ? await lastReceivedId(db, ticket.threadId) : null,
    },
  );
}

function confirmationText(ticket: OpenedTicket, supportHours: string): string {
  return [
    `We've opened support ticket ${ticket.reference} for you: "${ticket.subject}".`,
    `Our team (${supportHours}) will reply to this address. If you write to us about it, please mention ${ticket.reference}.`,
  ].join("\n\n");
}
