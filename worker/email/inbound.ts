/**
 * The email channel's way in: Cloudflare Email Routing hands each message for the support address to the
 * Worker's email() handler, which calls `receiveEmail`. In order, before any Durable Object or model work:
 * the channel switch (its rollout switch, ENABLED_CHANNELS by default), the size cap, parsing
 * (core/email/inbound.ts), machines never answered (auto-replies, bounces, lists: two robots answering each
 * other is a mail loop), and the per-sender rate limit. Then the same turn as the web: a new email opens a thread with channel `email` in the Thread
 * Durable Object, a reply joins its thread by In-Reply-To / References or by the support+t_<token>@ address,
 * and the reply goes back by email (core/email/send.ts).
 *
 * Who wrote is proven only by DMARC: a From address the platform's Authentication-Results vouch for becomes
 * the thread's identity, so get_order may serve that address's orders as it serves a signed-in visitor. Any
 * other From address is only where the reply goes: the Brain never sees it, and an order then needs its number
 * with its email written in the message, the web's rule. A reply joins a thread only from the thread's own
 * address, and never a DMARC-verified thread without a DMARC pass of its own.
 */

import { EmailMessage } from "cloudflare:email";
import { loadConfig } from "../../core/config.ts";
import { MESSAGE_MAX_CHARS } from "../../core/contracts/api.ts";
import { cleanText } from "../../core/contracts/text.ts";
import type { Identity } from "../../core/contracts/thread.ts";
import { type InboundEmail, MAX_INBOUND_BYTES, parseInbound } from "../../core/email/inbound.ts";
import { sendVisitorEmail } from "../../core/email/send.ts";
import { newId, newSecretToken, sha256Hex } from "../../core/ids.ts";
import { createLogger, type Logger } from "../../core/log.ts";
import type { Database } from "../../db/client.ts";
import { lazyDb } from "../../db/client.ts";
import {
  type EmailThread,
  messageIdStore,
  rememberMessageId,
  saveEmailThread,
  threadOfMessageIds,
  threadOfReplyToken,
} from "../../db/email.ts";
import { rateLimitsOn } from "../middleware/rate-limits.ts";
import { channelEnabled } from "../rollout.ts";

/** What a refused sender reads in the bounce (a permanent SMTP error with this reason). */
export const REJECTED = {
  channel_off: "This address does not take email at the moment. Please use the chat on our website.",
  not_configured: "This address cannot answer email at the moment. Please use the chat on our website.",
  too_large: `Your message is larger than ${MAX_INBOUND_BYTES / 1024} KB. Please write again without attachments; we do not open them.`,
  unreadable: "Your message could not be read. Please write again as plain text.",
  rate_limited:
    "You have sent us many messages in a short time. Please wait a few minutes before writing again.",
  failed: "Your message could not be taken right now. Please try again in a few minutes.",
} as const;

export type EmailOutcome =
  | { kind: "rejected"; reason: keyof typeof REJECTED }
  | { kind: "ignored"; reason: NonNullable<InboundEmail["automated"]> | "empty" }
  | { kind: "answered"; threadId: string; joined: boolean; sent: boolean }
  | { kind: "held"; threadId: string };

export async function receiveEmail(
  message: ForwardableEmailMessage,
  env: Env,
  ctx: ExecutionContext,
): Promise<EmailOutcome> {
  const startedAt = Date.now();
  const { config } = loadConfig(env);
  const log = createLogger({ requestId: crypto.randomUUID() }, config.logLevel);
  const reject = (reason: keyof typeof REJECTED): EmailOutcome => {
    message.setReject(REJECTED[reason]);
    log.warn("email.rejected", { reason, bytes: message.rawSize });
    return { kind: "rejected", reason };
  };
  const on = await channelEnabled(env.HYPERDRIVE.connectionString, config, "email", log, (work) =>
    ctx.waitUntil(work),
  );
  if (!on) return reject("channel_off");
  const address = config.email.address;
  if (!address) return reject("not_configured");
  if (message.rawSize > MAX_INBOUND_BYTES) return reject("too_large");

  let mail: InboundEmail;
  try {
    const raw = await new Response(message.raw).arrayBuffer();
    if (raw.byteLength > MAX_INBOUND_BYTES) return reject("too_large");
    mail = await parseInbound(raw, config.email.authServId);
  } catch (error) {
    log.warn("email.unparsed", { error });
    return reject("unreadable");
  }
  if (mail.automated) {
    // Never a bounce for a bounce: it is dropped with a log line, nothing is sent back.
    log.info("email.ignored", { reason: mail.automated, bytes: message.rawSize });
    return { kind: "ignored", reason: mail.automated };
  }
  if (!mail.from.includes("@")) return reject("unreadable");
  if (!(await senderAllowed(env, mail.from, log))) return reject("rate_limited");

  const db = lazyDb(env.HYPERDRIVE.connectionString);
  try {
    const outcome = await answer({ env, mail, db: db.get(), log, address, shopName: config.shop.name });
    log.info("email.answered", { ...outcome, ms: Date.now() - startedAt });
    return outcome;
  } catch (error) {
    log.error("email.failed", { error, ms: Date.now() - startedAt });
    return reject("failed");
  } finally {
    ctx.waitUntil(db.close());
  }
}

/** RL_EMAIL_SENDER, keyed by the sender's hashed address; RATE_LIMITS=off as for the chat API. */
async function senderAllowed(env: Env, from: string, log: Logger): Promise<boolean> {
  if (!rateLimitsOn(env)) return true;
  const { success } = await env.RL_EMAIL_SENDER.limit({ key: `sender:${await sha256Hex(from)}` });
  if (!success) log.warn("ratelimit.refused", { action: "email", limits: ["RL_EMAIL_SENDER:sender"] });
  return success;
}

interface Turn {
  env: Env;
  mail: InboundEmail;
  db: Database;
  log: Logger;
  address: string;
  shopName: string;
}

async function answer({ env, mail, db, log, address, shopName }: Turn): Promise<EmailOutcome> {
  const joined = await threadToJoin(db, mail, log);
  const text = messageText(mail, joined === null);
  if (!text) {
    log.info("email.ignored", { reason: "empty" });
    return { kind: "ignored", reason: "empty" };
  }
  const thread: EmailThread = joined ?? {
    threadId: newId(),
    address: mail.from,
    subject: mail.subject,
    replyToken: replyToken(),
    threadToken: newSecretToken(),
    verified: mail.dmarcPass,
  };
  // Saved before the turn: if the Worker dies mid-turn, the platform's redelivery finds this thread again.
  if (!joined) await saveEmailThread(db, thread);
  if (mail.messageId) await rememberMessageId(db, mail.messageId, thread.threadId, "in");

  const stub = env.THREAD.getByName(thread.threadId);
  // The same email delivered twice is answered once (the thread keeps the first answer).
  const clientMessageId = mail.messageId ? `em_${(await sha256Hex(mail.messageId)).slice(0, 40)}` : null;
  const post = (create: boolean) =>
    stub.postAndWait({
      key: { token: thread.threadToken, viewerSub: null },
      message: text,
      clientMessageId,
      create: create ? { channel: "email", identity: identityOf(thread) } : null,
    });
  let result = await post(!joined);
  // Saved but never opened (the first delivery died before the Durable Object heard of it).
  if (!result.ok && result.code === "not_found:thread" && joined) result = await post(true);
  if (!result.ok) throw new Error(`the thread refused the email: ${result.code}`);
  const reply = result.value.message;
  // A person owns the thread: the message waits for them in the console; the bot says nothing.
  if (reply.role === "user") return { kind: "held", threadId: thread.threadId };
  const email = loadConfig(env).config.email;
  const { sent } = await sendVisitorEmail(
    {
      send: (from, to, raw) => env.SEND_EMAIL.send(new EmailMessage(from, to, raw)),
      ids: messageIdStore(db),
      email: { ...email, address },
      shopName,
      log,
    },
    {
      thread,
      key: reply.id,
      text: reply.content,
      citations: reply.citations,
      inReplyTo: mail.messageId,
    },
  );
  return { kind: "answered", threadId: thread.threadId, joined: joined !== null, sent };
}

/**
 * The thread this email continues: the first known Message-ID it names (itself, when redelivered; then what
 * it answers), else its reply token; only from the thread's own address, and a DMARC-verified thread only with
 * a DMARC pass. Anything else opens a new thread.
 */
async function threadToJoin(db: Database, mail: InboundEmail, log: Logger): Promise<EmailThread | null> {
  const ids = [...(mail.messageId ? [mail.messageId] : []), ...mail.answers];
  const found =
    (await threadOfMessageIds(db, ids)) ??
    (mail.replyToken ? await threadOfReplyToken(db, mail.replyToken) : null);
  if (!found) return null;
  if (found.address !== mail.from) {
    log.info("email.not_joined", { threadId: found.threadId, reason: "other_sender" });
    return null;
  }
  if (found.verified && !mail.dmarcPass) {
    log.info("email.not_joined", { threadId: found.threadId, reason: "unverified_sender" });
    return null;
  }
  return found;
}

/** 128 random bits in lower-case hex: mail systems may lower-case the local part of an address. */
function replyToken(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A DMARC-verified address is an identity like a site's sign-in (the sub cannot collide with a site's). */
function identityOf(thread: EmailThread): Identity | null {
  return thread.verified ? { sub: `email:${thread.address}`, email: thread.address } : null;
}

/** What the Brain reads: the subject of a new email, the new text, attachments by name; cleaned and capped. */
function messageText(mail: InboundEmail, opening: boolean): string {
  const parts: string[] = [];
  const body = mail.text.trim();
  const subject = mail.subject.replace(/^(re|fwd?|aw|wg):\s*/i, "").trim();
  if (opening && subject && !body.toLowerCase().startsWith(subject.toLowerCase())) parts.push(subject);
  if (body) parts.push(body);
  if (mail.attachments.length > 0)
    parts.push(
      `[Attachments, not opened: ${mail.attachments
        .slice(0, 5)
        .map((a) => `${a.filename} (${a.mimeType}, ${Math.ceil(a.bytes / 1024)} KB)`)
        .join(", ")}]`,
    );
  return cleanText(parts.join("\n\n")).slice(0, MESSAGE_MAX_CHARS).trim();
}
