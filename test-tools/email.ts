/**
 * Email for Workers tests: raw RFC 5322 messages as a mail client writes them, delivered to the Worker's real
 * email() handler the way Email Routing calls it (a ForwardableEmailMessage with the raw stream and setReject),
 * and the local outbox (scripts/mail-outbox.ts in test-services) read back, parsed with postal-mime.
 */

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import PostalMime, { type Email } from "postal-mime";
import { inject } from "vitest";
import worker from "../worker/index.ts";

export const SUPPORT = "support@fernhill.example";
export const AUTHSERV = "mx.cloudflare.net";

export interface RawOptions {
  from: string;
  to?: string;
  subject?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  /** The platform's DMARC verdict for the From domain, as its topmost Authentication-Results header. */
  dmarc?: "pass" | "fail";
  headers?: Record<string, string>;
  body: string;
}

export function rawEmail(o: RawOptions): string {
  const domain = o.from.slice(o.from.indexOf("@") + 1);
  const headers: [string, string | undefined][] = [
    [
      "Authentication-Results",
      o.dmarc
        ? `${AUTHSERV}; spf=pass smtp.mailfrom=${domain}; dmarc=${o.dmarc} header.from=${domain}`
        : undefined,
    ],
    ["From", o.from],
    ["To", o.to ?? SUPPORT],
    ["Subject", o.subject ?? "A question"],
    ["Message-ID", o.messageId ?? `<${crypto.randomUUID()}@${domain}>`],
    ["In-Reply-To", o.inReplyTo],
    ["References", o.references],
    ["Date", new Date().toUTCString()],
    ["MIME-Version", "1.0"],
    ["Content-Type", "text/plain; charset=utf-8"],
  ];
  // A header given in `headers` replaces the default of the same name.
  const extra = Object.entries(o.headers ?? {});
  const given = new Set(extra.map(([k]) => k.toLowerCase()));
  headers.splice(0, headers.length, ...headers.filter(([k]) => !given.has(k.toLowerCase())), ...extra);
  return `${headers
    .filter((h): h is [string, string] => h[1] !== undefined)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\r\n")}\r\n\r\n${o.body.replace(/\n/g, "\r\n")}`;
}

/** What Email Routing hands the Worker; `rejected` is the reason given to setReject, if any. */
export class TestEmail implements ForwardableEmailMessage {
  readonly raw: ReadableStream<Uint8Array>;
  readonly headers: Headers;
  readonly rawSize: number;
  readonly canBeForwarded = false;
  readonly from: string;
  readonly to: string;
  rejected: string | null = null;

  constructor(from: string, to: string, raw: string, rawSize?: number) {
    this.from = from;
    this.to = to;
    const bytes = new TextEncoder().encode(raw);
    this.raw = new Response(bytes).body ?? new ReadableStream();
    this.rawSize = rawSize ?? bytes.byteLength;
    this.headers = new Headers();
  }

  setReject(reason: string): void {
    this.rejected = reason;
  }

  forward(): Promise<EmailSendResult> {
    return Promise.reject(new Error("the email channel never forwards"));
  }

  reply(): Promise<EmailSendResult> {
    return Promise.reject(new Error("the email channel replies through SEND_EMAIL"));
  }
}

/** Delivers a raw message to the Worker's email() handler and waits for everything it started. */
export async function deliver(o: RawOptions, rawSize?: number): Promise<TestEmail> {
  const message = new TestEmail(o.from, o.to ?? SUPPORT, rawEmail(o), rawSize);
  const ctx = createExecutionContext();
  await worker.email(message, env, ctx);
  await waitOnExecutionContext(ctx);
  return message;
}

export interface SentMail {
  file: string;
  raw: string;
  parsed: Email;
}

/** Every email the agent sent to `address`, oldest first, from the outbox. */
export async function outboxFor(address: string): Promise<SentMail[]> {
  const response = await fetch(`${inject("mailOutboxUrl")}?to=${encodeURIComponent(address.toLowerCase())}`);
  const stored = (await response.json()) as { file: string; raw: string }[];
  return Promise.all(stored.map(async (m) => ({ ...m, parsed: await PostalMime.parse(m.raw) })));
}
