/**
 * Text for Slack, where staff read it. Slack's mrkdwn turns `<!channel>`, `<@U123>` and `<https://x|label>`
 * into mentions and links, and its clients link bare URLs and domain names on their own, so any text that did
 * not come from us (a handoff reason the Brain wrote, a visitor's words) is made inert here: `& < >` escaped as
 * Slack asks, broadcast words (@channel, @here, @everyone) broken up, URLs and domain names defanged
 * (`hxxps://evil[.]example`), emails and phone numbers masked. The only link a message may carry is the agent's
 * own console link, added by `slackLink` after the check that it points at the console. Used by
 * queues/notify-staff.ts and whatever else builds Slack text.
 */
import { maskPii } from "./pii.ts";

const MAX_CHARS = 500;
/** A scheme URL, or a bare domain name (two or more labels, a letter-only top-level label). */
const URLISH = /\b[a-z][a-z0-9+.-]*:\/\/\S+|\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}\b/gi;

/** Untrusted text as inert Slack mrkdwn: no mentions, no links, no formatting tricks, at most 500 chars. */
export function inertSlackText(text: string): string {
  const masked = maskPii(text.replace(/\s+/g, " ").trim()).slice(0, MAX_CHARS);
  const defanged = masked.replace(URLISH, (url) =>
    url
      .replace(/^([a-z][a-z0-9+.-]*):\/\//i, (_all, scheme: string) => `${scheme.replace(/t/gi, "x")}://`)
      .replaceAll(".", "[.]"),
  );
  return escapeSlack(defanged)
    .replace(/@(channel|here|everyone)\b/gi, "@\u200b$1")
    .replace(/[*_~`]/g, (ch) => `\u200b${ch}`);
}

/** Slack's own escaping: these three characters are control characters in mrkdwn. */
export function escapeSlack(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/**
 * A Slack link to one of the agent's own pages, or null when `url` is anything else. The label is escaped;
 * `|` and `>` cannot occur in it, so it cannot end the link early.
 */
export function slackLink(url: string, label: string, consoleOrigin: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (
    parsed.origin !== consoleOrigin ||
    (parsed.protocol !== "https:" && !/^http:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/.test(parsed.href))
  )
    return null;
  return `<${parsed.href.replaceAll(">", "%3E").replaceAll("|", "%7C")}|${escapeSlack(label).replaceAll("|", "/")}>`;
}
