/**
 * Output sanitizing, the last step before text reaches a visitor: links only to allowed hosts, read with the
 * same grammar as the widget's renderer (core/contracts/links.ts); no images (a classic exfiltration channel);
 * no secrets; no stack traces; at most OUTPUT_MAX_CHARS. Runs on streamed segments and on the final text.
 */
import { allowedHref, tokenizeInline } from "../contracts/links.ts";

export interface SanitizeOptions {
  /** Hosts (and their subdomains) that links may point to. */
  allowedHosts: readonly string[];
  /** Exact secret values configured for this deployment (API keys...), redacted wherever they appear. */
  secrets?: readonly string[];
}

/** A reply longer than this is cut (with an ellipsis) before it is stored or streamed. */
export const OUTPUT_MAX_CHARS = 4000;

/** What a refused link becomes: no brackets, so it cannot close or open a link around it. */
export const LINK_REMOVED = "(link removed)";

const IMAGE = /!\[[^\]]*\]\([^)]*\)/g;
/**
 * Anything a renderer might turn into a link or run: any http(s) URL, wherever it starts, odd schemes, and the
 * forms mail and chat clients link on their own: scheme-relative "//host/..." and "www.host...".
 */
const URL_LIKE =
  /(?:https?|ftps?):\/\/[^\s<>"'`]*|\b(?:javascript|vbscript|data|file|blob):[^\s<>"'`]+|(?<![\w:/])\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s<>"'`]*|\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s<>"'`]*/gi;
const SECRET_PATTERNS = [
  /\bsk-[A-Za-z0-9_-]{16,}\b/g,
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g,
  /\bxox[abpr]-[A-Za-z0-9-]{10,}\b/g,
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/g,
  /\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/g,
  /\b(?:postgres(?:ql)?|mysql|redis|mongodb(?:\+srv)?):\/\/[^\s]+/gi,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
];
const STACK_LINE =
  /^\s*(?:at\s+\S.*\(?\S+:\d+:\d+\)?|at\s+<anonymous>|File ".*", line \d+.*|Traceback \(most recent call last\):.*)$/;
/** Removing a link can join its neighbours into a new one ("ht[tp](x)s://…"): passes until nothing changes. */
const MAX_PASSES = 4;

export function sanitizeOutput(text: string, options: SanitizeOptions): string {
  let out = capOutput(text);
  for (const secret of options.secrets ?? []) {
    if (secret.length >= 8) out = out.split(secret).join("[redacted]");
  }
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, "[redacted]");
  out = out
    .split("\n")
    .filter((line) => !STACK_LINE.test(line))
    .join("\n");
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = sanitizeLinks(out.replace(IMAGE, ""), options.allowedHosts);
    if (next === out) return out;
    out = next;
  }
  // Still changing: give up on link syntax altogether rather than ship something that might be one.
  return defang(out.replace(IMAGE, "").replace(/[[\]()]/g, " "), options.allowedHosts);
}

/** Cuts text to OUTPUT_MAX_CHARS, at a word boundary where there is one near the end. */
export function capOutput(text: string): string {
  if (text.length <= OUTPUT_MAX_CHARS) return text;
  const cut = text.slice(0, OUTPUT_MAX_CHARS - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > OUTPUT_MAX_CHARS - 200 ? cut.slice(0, space) : cut}…`;
}

/** One pass: links and URLs kept only when allowed, everything else as text with URL-like parts removed. */
function sanitizeLinks(text: string, allowedHosts: readonly string[], inBold = false): string {
  return tokenizeInline(text)
    .map((token) => {
      switch (token.k) {
        case "text":
          return defang(token.v, allowedHosts);
        case "bold":
          // The widget does not read bold inside bold; the inner text is sanitized like any other.
          return inBold
            ? `**${defang(token.inner, allowedHosts)}**`
            : `**${sanitizeLinks(token.inner, allowedHosts, true)}**`;
        case "link": {
          const href = allowedHref(token.target, allowedHosts);
          const label = defang(token.label, allowedHosts);
          return href ? `[${label}](${href})` : label;
        }
        case "url":
          return allowedHref(token.target, allowedHosts) ? token.target : LINK_REMOVED;
        default: {
          const unreachable: never = token;
          return unreachable;
        }
      }
    })
    .join("");
}

/** Plain text with every URL-like part that is not an allowed http(s) URL replaced. */
function defang(text: string, allowedHosts: readonly string[]): string {
  return text.replace(URL_LIKE, (url) => (allowedHref(url, allowedHosts) ? url : LINK_REMOVED));
}

/** Whether a URL may be shown as a link: absolute http(s), no credentials, an allowed host. */
export function isAllowedUrl(raw: string, allowedHosts: readonly string[]): boolean {
  return allowedHref(raw, allowedHosts) !== null;
}

/**
 * A title or label shown inside a link: plain text, so a document title such as "[Reset](https://evil…)"
 * renders as words. Link brackets, emphasis markers and URL-like parts are removed; whitespace collapses.
 */
export function plainLabel(text: string): string {
  return defang(text, [])
    .replace(/[[\]()*`<>]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
}
