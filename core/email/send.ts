/**
 * Sends one email to a visitor: composed with mimetext (compose.ts), from the support address, through the
 * platform's send port (the send_email binding, given by the caller: core imports nothing of Cloudflare). The
 * Message-ID is derived from what the email carries (a thread message's id, a ticket's call id), and is
 * remembered before sending, so the same message sent twice (a redelivered email, a retried queue step, two
 * paths racing) leaves once. On an email thread it has the thread's support+t_<token>@ address as Reply-To and
 * the thread's Message-IDs as References; a standalone email (a ticket confirmation for a web visitor) has the
 * plain support address, so a reply opens a new email thread and never joins the web conversation. Where
 * MAIL_OUTBOX_URL is set (npm start, tests), the same bytes are also POSTed there, which writes them to
 * .data/mail/outbox/: a Worker cannot write files. Called by worker/email/inbound.ts (the agent's replies),
 * durable-objects/email-relay.ts (a person's replies) and queues/ticket-email.ts (ticket confirmations).
 */
import type { EmailConfig } from "../config.ts";
import type { Citation } from "../contracts/thread.ts";
import type { Logger } from "../log.ts";
import { composeReply } from "./compose.ts";

/** Who an email goes to and on which conversation; `replyToken` null for a standalone email. */
export interface MailThread {
  threadId: string;
  address: string;
  subject: string;
  replyToken: string | null;
}

/** The Message-IDs of each thread (db/email.ts). */
export interface MessageIdStore {
  /** The thread's Message-IDs, oldest first, for References. */
  references(threadId: string): Promise<string[]>;
  /** Remembers an id; false if it was known already (then the email went out before). */
  remember(messageId: string, threadId: string): Promise<boolean>;
  forget(messageId: string): Promise<void>;
}

export interface MailDeps {
  /** The platform's send: `env.SEND_EMAIL.send(new EmailMessage(from, to, raw))`. */
  send(from: string, to: string, raw: string): Promise<{ messageId?: string }>;
  ids: MessageIdStore;
  email: EmailConfig & { address: string };
  shopName: string;
  log: Logger;
}

export interface OutgoingEmail {
  thread: MailThread;
  /** Names the Message-ID: `<key@shop domain>`, the same key always the same email. */
  key: string;
  text: string;
  citations: Citation[];
  /** The Message-ID this answers, when it answers one email. */
  inReplyTo: string | null;
}

/** Sends the email; `sent: false` when it went out before. Throws when the platform refuses it. */
export async function sendVisitorEmail(deps: MailDeps, mail: OutgoingEmail): Promise<{ sent: boolean }> {
  const { email, ids, log } = deps;
  const at = email.address.indexOf("@");
  const domain = email.address.slice(at + 1);
  const ours = `<${mail.key}@${domain}>`;
  const references = mail.thread.replyToken ? await ids.references(mail.thread.threadId) : [];
  if (!(await ids.remember(ours, mail.thread.threadId))) {
    log.info("email.already_sent", { threadId: mail.thread.threadId, key: mail.key });
    return { sent: false };
  }
  const raw = composeReply({
    from: { name: deps.shopName, address: email.address },
    to: mail.thread.address,
    replyTo: mail.thread.replyToken
      ? `${email.address.slice(0, at)}+t_${mail.thread.replyToken}@${domain}`
      : null,
    subject: mail.thread.subject,
    text: mail.text,
    citations: mail.citations,
    messageId: ours,
    inReplyTo: mail.inReplyTo,
    references: references.filter((id) => id !== ours && id !== mail.inReplyTo),
    date: new Date(),
  });
  let result: { messageId?: string };
  try {
    result = await deps.send(email.address, mail.thread.address, raw);
  } catch (error) {
    // Not sent after all: a retry must be able to send it.
    await ids.forget(ours);
    throw error;
  }
  // The platform may stamp its own Message-ID; a reply may then answer that one, so it names the thread too.
  const stamped = angle(result.messageId);
  if (stamped && stamped !== ours) await ids.remember(stamped, mail.thread.threadId);
  if (email.outboxUrl) await copyToOutbox(email.outboxUrl, raw, log);
  log.info("email.sent", { threadId: mail.thread.threadId, key: mail.key, bytes: raw.length });
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
