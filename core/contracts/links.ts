/**
 * The one URL grammar of replies: what counts as a link in a reply's text and which links may be shown. The
 * server's output sanitizer (core/guardrails/sanitize.ts) and the widget's Markdown renderer (widget/markdown.ts)
 * both read text with `tokenizeInline`, so they cannot disagree about where a link is; both ask `allowedHref`,
 * so a link to a host outside the allowlist is refused twice, on the server and again in the browser.
 *
 * Inline syntax, and nothing else: `**bold**`, `[label](target)` with a target free of spaces and parentheses,
 * and bare `http(s)://` URLs found anywhere in a word (a renderer that needs a word boundary before a URL is
 * the kind of disagreement this module exists to rule out). No imports: the widget bundles it.
 */

export type InlineToken =
  | { k: "text"; v: string }
  | { k: "bold"; inner: string }
  | { k: "link"; label: string; target: string }
  | { k: "url"; target: string };

// Bold, a Markdown link, or a bare URL (trailing punctuation is not part of it). Case-insensitive scheme.
const INLINE =
  /\*\*(.+?)\*\*|\[([^\]\n]+)\]\(([^()\s]+)\)|([hH][tT][tT][pP][sS]?:\/\/[^\s<>()[\]]*[^\s<>()[\].,;:!?'"])/g;

/** Splits one line of text into the tokens every renderer of replies agrees on. */
export function tokenizeInline(text: string): InlineToken[] {
  const out: InlineToken[] = [];
  let last = 0;
  const pushText = (v: string) => {
    if (!v) return;
    const prev = out[out.length - 1];
    if (prev?.k === "text") prev.v += v;
    else out.push({ k: "text", v });
  };
  for (const match of text.matchAll(INLINE)) {
    const [whole, bold, label, target, bare] = match;
    const at = match.index ?? 0;
    pushText(text.slice(last, at));
    last = at + whole.length;
    if (bold !== undefined) out.push({ k: "bold", inner: bold });
    else if (label !== undefined && target !== undefined) out.push({ k: "link", label, target });
    else if (bare !== undefined) out.push({ k: "url", target: bare });
  }
  pushText(text.slice(last));
  return out;
}

/** "fernhill.example, help.fernhill.example" -> lower-case host names; anything that is not a host is left out. */
export function parseLinkHosts(raw: string | null | undefined): string[] {
  return (raw ?? "")
    .split(/[\s,]+/)
    .map((h) =>
      h
        .trim()
        .toLowerCase()
        .replace(/^\.+|\.+$/g, ""),
    )
    .filter((h) => /^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/.test(h));
}

/** Whether `host` is one of the allowed hosts or a subdomain of one. */
export function hostAllowed(host: string, allowedHosts: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return allowedHosts.some((allowed) => h === allowed || h.endsWith(`.${allowed}`));
}

/**
 * The normalised href of an absolute http(s) URL without credentials whose host is allowed; null for anything
 * else (javascript:, data:, relative, protocol-relative, user@host, other hosts).
 */
export function allowedHref(raw: string, allowedHosts: readonly string[]): string | null {
  const trimmed = raw.trim();
  if (!/^https?:\/\//i.test(trimmed)) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username || url.password) return null;
  return hostAllowed(url.hostname, allowedHosts) ? url.href : null;
}
