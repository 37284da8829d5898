/**
 * A person's replies on an email thread go out by email, and so does the follow-up of a handoff nobody could
 * take (core/email/visitor-mail.ts picks them): the Thread Durable Object calls this for the messages it just
 * stored, on threads whose channel is email, whether the person wrote in the console or in Slack (both reach
 * the thread as staff actions). Each message leaves once (core/email/send.ts keys the Message-ID by the
 * message id), answering the visitor's newest email. The bot's own answers are sent by worker/email/inbound.ts,
 * with the email they answer. A failure is an error in the log (the message stays in the console's thread).
 */
import { EmailMessage } from "cloudflare:email";
import type { AppConfig } from "../core/config.ts";
import type { ThreadMessage } from "../core/contracts/thread.ts";
import { sendVisitorEmail } from "../core/email/send.ts";
import { emailedToVisitor } from "../core/email/visitor-mail.ts";
import type { Logger } from "../core/log.ts";
import type { Database } from "../db/client.ts";
import { emailThreadOf, lastReceivedId, messageIdStore } from "../db/email.ts";

export async function relayToEmail(
  db: Database,
  sendEmail: SendEmail,
  config: AppConfig,
  threadId: string,
  messages: ThreadMessage[],
  log: Logger,
): Promise<void> {
  const address = config.email.address;
  const replies = emailedToVisitor(messages);
  if (!address || replies.length === 0) return;
  try {
    const thread = await emailThreadOf(db, threadId);
    if (!thread) {
      log.error("email.relay_failed", { threadId, code: "not_found:email_thread" });
      return;
    }
    const inReplyTo = await lastReceivedId(db, threadId);
    for (const reply of replies) {
      const name = reply.role === "staff" ? reply.meta.staffName : undefined;
      await sendVisitorEmail(
        {
          send: (from, to, raw) => sendEmail.send(new EmailMessage(from, to, raw)),
          ids: messageIdStore(db),
          email: { ...config.email, address },
          shopName: name ? `${name} (${config.shop.name})` : config.shop.name,
          log,
        },
        { thread, key: reply.id, text: reply.content, citations: [], inReplyTo },
      );
    }
  } catch (error) {
    log.error("email.relay_failed", { threadId, error });
  }
}
