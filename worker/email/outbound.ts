/**
 * Sends one email on an email thread: composed with mimetext (core/email/compose.ts), from the support address
 * with a Reply-To of the thread's support+t_<token>@ address, through the send_email binding. The Message-ID is
 * derived from the thread message it carries, so sending the same message twice (a redelivered email, a retried
 * step) is refused by email_messages before anything leaves. Where MAIL_OUTBOX_URL is set (npm start), the same
 * bytes are also POSTed there, which writes them to .data/mail/outbox/: a Worker cannot write files itself.
 * Called by worker/email/inbound.ts (the agent's replies) and for replies sent later on email threads.
 */
import { EmailMessage } from "cloudflare:email";
import type { EmailConfig } from "../../core/config.ts";
import type { Citation } from "../../core/contracts/thread.ts";
import { composeReply } from "../../core/email/compose.ts";
import type { Logger } from "../../core/log.ts";
import type { Database } from "../../db/client.ts";
import { type EmailThread, forgetMessageId, messageIdsOf, rememberMessageId } from "../../db/email.ts";

export interface OutgoingEmail {
  thread: EmailThread;
  /** The thread message this email carries (its id names the Message-ID). */
  messageId: string;
  text: string;
  citations: Citation[];
  /** The Message-ID this answers, when it answers one email. */
  inReplyTo: string | null;
}

export interface MailDeps {
  sendEmail: SendEmail;
  email: EmailConfig & { address: string };
  shopName: string;
  db: Database;
  log: Logger;
}

/** Sends the email; `sent: false` when this message went out before. Throws when the platform refuses it. */
export async function sendThreadEmail(deps: MailDeps, mail: OutgoingEmail): Promise<{ sent: boolean }> {
  const { email, db, log } = deps;
  const domain = email.address.slice(email.address.indexOf("@") + 1);
  const ours = `<${mail.messageId}@${domain}>`;
  const references = await messageIdsOf(db, mail.thread.threadId);
  if (!(await rememberMessageId(db, ours, mail.thread.threadId, "out"))) {
    log.info("email.already_sent", { threadId: mail.thread.threadId, messageId: mail.messageId });
    return { sent: false };
  }
  const local = email.address.slice(0, email.address.indexOf("@"));
  const raw = composeReply({
    from: { name: deps.shopName, address: email.address },
    to: mail.thread.address,
    replyTo: `${local}+t_${mail.thread.replyToken}@${domain}`,
    subject: mail.thread.subject,
    text: mail.text,
    citations: mail.citations,
    messageId: ours,
    inReplyTo: mail.inReplyTo,
    references: references.filter((id) => id !== ours && id !== mail.inReplyTo),
    date: new Date(),
  });
  let result: EmailSendResult;
  try {
    result = await deps.sendEmail.send(new EmailMessage(email.address, mail.thread.address, raw));
  } catch (error) {
    // Not sent after all: a retry must be able to send it.
    await forgetMessageId(db, ours);
    throw error;
  }
  // The platform may stamp its own Message-ID; a reply may then answer that one, so it names the thread too.
  const stamped = angle(result.messageId);
  if (stamped && stamped !== ours) await rememberMessageId(db, stamped, mail.thread.threadId, "out");
  if (email.outboxUrl) await copyToOutbox(email.outboxUrl, raw, log);
  log.info("email.sent", { threadId: mail.thread.threadId, messageId: mail.messageId, bytes: raw.length });
  return { sent: true };
}

function angle(id: string | undefined): string | null {
  const bare = id?.trim().replace(/^<|>$/g, "");
  return bare ? `<${bare}>` : null;
}

/** The local outbox: a copy for a person or a test to read; a failure here never fails the send. */
async function copyToOutbox(url: string, raw: string, log: Logger): Promise<void> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "message/rfc822" },
      body: raw,
      signal: AbortSignal.timeout(2_000),
    });
    await response.body?.cancel();
    if (!response.ok) log.warn("email.outbox_failed", { status: response.status });
  } catch (error) {
    log.warn("email.outbox_failed", { error });
  }
}
