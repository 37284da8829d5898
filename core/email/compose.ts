/**
 * Outbound email: the agent's (or a person's) reply composed with mimetext, never by string concatenation.
 * Two parts: plain text (links written out as "Title <url>") and HTML (escaped text, links as anchors), the
 * citations listed as links under the answer, and In-Reply-To / References so mail clients thread it. The
 * Message-ID is ours, so a reply to it finds the thread again.
 */
// The browser build: the default one imports node:os and mime-types (path), which a Worker need not carry.
import { createMimeMessage, Mailbox } from "mimetext/browser";
import type { Citation } from "../contracts/thread.ts";

export interface OutboundReply {
  from: { name: string; address: string };
  to: string;
  /** Where the visitor's answer should go: the thread's support+t_<token>@ address. */
  replyTo: string | null;
  subject: string;
  /** The reply's text; Markdown links [title](url) become links. */
  text: string;
  citations: Citation[];
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  date: Date;
}

const LINK = /\[([^\]\n]{1,200})\]\((https?:\/\/[^\s)]{1,2000})\)/g;

export function composeReply(reply: OutboundReply): string {
  const msg = createMimeMessage();
  msg.setSender({ name: reply.from.name, addr: reply.from.address });
  msg.setRecipient(reply.to);
  // A first email (a ticket confirmation) keeps its subject; an answer is "Re:".
  msg.setSubject(reply.inReplyTo ? replySubject(reply.subject) : reply.subject.trim() || "Your question");
  if (reply.replyTo) msg.setHeader("Reply-To", new Mailbox(reply.replyTo, { type: "To" }));
  msg.setHeader("Message-ID", reply.messageId);
  msg.setHeader("Date", reply.date.toUTCString());
  // RFC 3834: our replies are automatic, so well-behaved auto-responders do not answer them.
  msg.setHeader("Auto-Submitted", "auto-replied");
  if (reply.inReplyTo) msg.setHeader("In-Reply-To", reply.inReplyTo);
  const refs = [...reply.references, ...(reply.inReplyTo ? [reply.inReplyTo] : [])];
  if (refs.length > 0) msg.setHeader("References", [...new Set(refs)].slice(-20).join(" "));
  msg.addMessage({ contentType: "text/plain", data: plainText(reply) });
  msg.addMessage({ contentType: "text/html", data: html(reply) });
  return msg.asRaw();
}

export function replySubject(subject: string): string {
  const s = subject.trim() || "Your question";
  return /^re:/i.test(s) ? s : `Re: ${s}`;
}

function sources(citations: Citation[]): Citation[] {
  const seen = new Set<string>();
  return citations.filter((c) => !seen.has(c.url) && seen.add(c.url));
}

function plainText(reply: OutboundReply): string {
  const body = reply.text.replace(LINK, (_m, title: string, url: string) => `${title} <${url}>`);
  const list = sources(reply.citations).map((c) => `- ${c.title}: ${c.url}`);
  return list.length > 0 ? `${body}\n\nSources:\n${list.join("\n")}\n` : `${body}\n`;
}

function html(reply: OutboundReply): string {
  let out = "";
  let last = 0;
  for (const m of reply.text.matchAll(LINK)) {
    out += escapeHtml(reply.text.slice(last, m.index));
    out += `<a href="${escapeHtml(m[2] ?? "")}">${escapeHtml(m[1] ?? "")}</a>`;
    last = m.index + m[0].length;
  }
  out += escapeHtml(reply.text.slice(last));
  const paragraphs = out
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, "<br>")}</p>`)
    .join("");
  const list = sources(reply.citations)
    .map((c) => `<li><a href="${escapeHtml(c.url)}">${escapeHtml(c.title)}</a></li>`)
    .join("");
  return `<!doctype html><html><body>${paragraphs}${list ? `<p>Sources:</p><ul>${list}</ul>` : ""}</body></html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
