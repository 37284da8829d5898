/**
 * Output sanitizing, the last step before text reaches a visitor: links only to allowed hosts, no images (a
 * classic exfiltration channel), no secrets, no stack traces. Runs on streamed segments and on the final text.
 */
export interface SanitizeOptions {
  /** Hosts (and their subdomains) that links may point to. */
  allowedHosts: readonly string[];
  /** Exact secret values configured for this deployment (API keys...), redacted wherever they appear. */
  secrets?: readonly string[];
}

const IMAGE = /!\[[^\]]*\]\([^)]*\)/g;
const MARKDOWN_LINK = /\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;
const BARE_URL = /\b(?:https?|ftp|javascript|data|file):[^\s<>()"']+/gi;
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

export function sanitizeOutput(text: string, options: SanitizeOptions): string {
  let out = text.replace(IMAGE, "");
  for (const secret of options.secrets ?? []) {
    if (secret.length >= 8) out = out.split(secret).join("[redacted]");
  }
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, "[redacted]");
  out = out
    .split("\n")
    .filter((line) => !STACK_LINE.test(line))
    .join("\n");
  out = out.replace(MARKDOWN_LINK, (whole, label: string, url: string) =>
    isAllowedUrl(url, options.allowedHosts) ? whole : label,
  );
  // Bare URLs that are not inside an allowed markdown link.
  out = out.replace(BARE_URL, (url, offset: number, all: string) => {
    if (all.slice(Math.max(0, offset - 2), offset) === "](") return url;
    return isAllowedUrl(url, options.allowedHosts) ? url : "[link removed]";
  });
  return out;
}

export function isAllowedUrl(raw: string, allowedHosts: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return false;
  if (url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  return allowedHosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}
