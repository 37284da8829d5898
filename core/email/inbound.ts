/**
 * Inbound email, from raw RFC 5322 bytes to what the email channel needs: who wrote, which thread it may
 * belong to (Message-IDs it answers, a reply token in the address), the new text without quoted history or
 * signature, attachments noted by name and size only, whether a machine sent it (auto-replies, bounces, lists
 * are never answered: two robots answering each other is a mail loop), and whether DMARC vouched for the From
 * domain. Called by the Worker's email() handler; pure, tested in Node.
 */
import PostalMime, { type Email, type Header } from "postal-mime";
import { z } from "zod";
import { stripQuotedHistory } from "./quoted.ts";

/** Larger messages are refused before parsing: support questions are short, attachments are not read. */
export const MAX_INBOUND_BYTES = 512 * 1024;

export const inboundEmailSchema = z.object({
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  messageId: z.string().nullable(),
  /** Message-IDs this one answers (In-Reply-To first, then References, newest first), angle brackets kept. */
  answers: z.array(z.string()),
  /** The thread's reply token from a `support+t_<token>@…` recipient, if any. */
  replyToken: z.string().nullable(),
  /** The visitor's new text: quoted history and signature removed. */
  text: z.string(),
  attachments: z.array(z.object({ filename: z.string(), mimeType: z.string(), bytes: z.number() })),
  /** Why a machine sent this (then it is not answered), or null for a person. */
  automated: z.enum(["auto_submitted", "precedence", "list", "bounce", "report"]).nullable(),
  /** DMARC passed for the From domain, per the receiving platform's Authentication-Results. */
  dmarcPass: z.boolean(),
});
export type InboundEmail = z.infer<typeof inboundEmailSchema>;

export async function parseInbound(raw: string | Uint8Array | ArrayBuffer, trustedAuthServ: string | null) {
  const email = await PostalMime.parse(raw);
  const from = mailboxOf(email.from) ?? "";
  const to = (email.to ?? []).flatMap((a) => (a.address ? [a.address.toLowerCase()] : []));
  const text = email.text ?? htmlToText(email.html ?? "");
  return inboundEmailSchema.parse({
    from,
    to,
    subject: (email.subject ?? "").slice(0, 300),
    messageId: email.messageId ?? null,
    answers: answeredIds(email),
    replyToken: to.map(replyTokenOf).find((t) => t !== null) ?? null,
    text: stripQuotedHistory(text),
    attachments: email.attachments
      .filter((a) => a.disposition !== "inline" || a.filename)
      .map((a) => ({
        filename: (a.filename ?? "unnamed").slice(0, 200),
        mimeType: a.mimeType,
        bytes: sizeOf(a.content),
      })),
    automated: automatedReason(email, from),
    dmarcPass: dmarcPassed(email.headers, domainOf(from), trustedAuthServ),
  });
}

function mailboxOf(address: Email["from"]): string | null {
  if (!address) return null;
  const box = address.address ?? address.group?.[0]?.address;
  return box ? box.toLowerCase() : null;
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1).toLowerCase();
}

function answeredIds(email: Email): string[] {
  const ids = [
    ...((email.inReplyTo ?? "").match(/<[^<>\s]+>/g) ?? []),
    ...((email.references ?? "").match(/<[^<>\s]+>/g) ?? []).reverse(),
  ];
  return [...new Set(ids)].slice(0, 20);
}

/** `support+t_abc123@shop.example` -> `abc123`. */
export function replyTokenOf(address: string): string | null {
  return /^[^@+]+\+t_([A-Za-z0-9_-]{16,64})@/.exec(address)?.[1] ?? null;
}

function header(headers: Header[], key: string): string | null {
  return headers.find((h) => h.key === key)?.value ?? null;
}

/** RFC 3834 and the usual list and bounce markers; any of them means no reply. */
export function automatedReason(email: Pick<Email, "headers">, from: string): InboundEmail["automated"] {
  const h = email.headers;
  const autoSubmitted = header(h, "auto-submitted")?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== "no") return "auto_submitted";
  if (header(h, "x-autoreply") || header(h, "x-autorespond")) return "auto_submitted";
  const precedence = header(h, "precedence")?.trim().toLowerCase();
  if (precedence && ["bulk", "junk", "list", "auto_reply"].includes(precedence)) return "precedence";
  if (header(h, "list-id") || header(h, "list-unsubscribe")) return "list";
  const local = from.slice(0, from.indexOf("@")).toLowerCase();
  if (["mailer-daemon", "postmaster"].includes(local) || from === "") return "bounce";
  const returnPath = header(h, "return-path")?.trim();
  if (returnPath === "<>") return "bounce";
  const contentType = header(h, "content-type")?.toLowerCase() ?? "";
  if (contentType.startsWith("multipart/report")) return "report";
  return null;
}

/**
 * True when the Authentication-Results header added by the receiving platform (authserv-id `trustedAuthServ`,
 * or any when null) says `dmarc=pass` with `header.from` equal to the From domain. A sender can write their own
 * Authentication-Results header too, even one naming the platform's authserv-id; the platform prepends its
 * own above everything the sender wrote, so only the topmost header with that authserv-id counts.
 */
export function dmarcPassed(headers: Header[], fromDomain: string, trustedAuthServ: string | null): boolean {
  if (!fromDomain) return false;
  const platform = headers
    .filter((h) => h.key === "authentication-results")
    .find((h) => {
      const authServ = h.value.split(";")[0]?.trim().split(/\s+/)[0]?.toLowerCase();
      return trustedAuthServ === null || authServ === trustedAuthServ;
    });
  if (!platform) return false;
  return platform.value
    .split(";")
    .slice(1)
    .some((r) => {
      const m = /^\s*dmarc=(\w+)\b.*?header\.from=([^\s;]+)/i.exec(r);
      return m?.[1]?.toLowerCase() === "pass" && m[2]?.toLowerCase() === fromDomain;
    });
}

function sizeOf(content: ArrayBuffer | Uint8Array | string): number {
  return typeof content === "string" ? content.length : content.byteLength;
}

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}
