/**
 * The small Markdown subset replies use, parsed into a tree the view turns into DOM nodes with textContent
 * only: paragraphs (single line breaks kept), bullet and numbered lists, **bold**, [links](https://…) and bare
 * http(s) URLs. Headings read as bold paragraphs; anything else stays literal text. Inline syntax is read with
 * the server's own URL grammar (core/contracts/links.ts), and a link becomes one only when its target is an
 * absolute http(s) URL on a host the agent allows (the list comes with the loader): the widget refuses other
 * hosts itself, whatever the server sent. Pure, so it is tested in Node.
 */
import { allowedHref, tokenizeInline } from "../core/contracts/links.ts";

export type Inline =
  | { k: "text"; v: string }
  | { k: "b"; c: Inline[] }
  | { k: "a"; href: string; text: string }
  | { k: "br" };

export type Block = { k: "p"; c: Inline[] } | { k: "ul" | "ol"; items: Inline[][] };

/** The URL, normalised, if it is an absolute http(s) URL on an allowed host; null for anything else. */
export function safeHref(raw: string, hosts: readonly string[]): string | null {
  return allowedHref(raw, hosts);
}

const BULLET = /^\s*[-*•]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+(.*)$/;
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;

export function parseMarkdown(source: string, hosts: readonly string[]): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  // Held in an object: the closures below reassign it, which the compiler's narrowing does not follow.
  const open: { list: { k: "ul" | "ol"; items: string[] } | null } = { list: null };

  const closeParagraph = () => {
    if (paragraph.length > 0) blocks.push({ k: "p", c: inlineLines(paragraph, hosts) });
    paragraph = [];
  };
  const closeList = () => {
    if (open.list)
      blocks.push({ k: open.list.k, items: open.list.items.map((item) => parseInline(item, hosts)) });
    open.list = null;
  };

  for (const line of source.replace(/\r\n?/g, "\n").split("\n")) {
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    const item = bullet ?? numbered;
    if (item) {
      const kind = bullet ? "ul" : "ol";
      closeParagraph();
      if (open.list?.k !== kind) closeList();
      open.list ??= { k: kind, items: [] };
      open.list.items.push(item[1] ?? "");
      continue;
    }
    if (line.trim() === "") {
      closeParagraph();
      closeList();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      closeParagraph();
      closeList();
      blocks.push({ k: "p", c: [{ k: "b", c: parseInline(heading[1] ?? "", hosts) }] });
      continue;
    }
    // A line that follows a list item without a blank line continues that item.
    if (open.list) {
      const items = open.list.items;
      items[items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    paragraph.push(line.trim());
  }
  closeParagraph();
  closeList();
  return blocks;
}

function inlineLines(lines: string[], hosts: readonly string[]): Inline[] {
  const out: Inline[] = [];
  lines.forEach((line, i) => {
    if (i > 0) out.push({ k: "br" });
    out.push(...parseInline(line, hosts));
  });
  return out;
}

export function parseInline(text: string, hosts: readonly string[], allowBold = true): Inline[] {
  const out: Inline[] = [];
  const pushText = (v: string) => {
    if (!v) return;
    const prev = out[out.length - 1];
    if (prev?.k === "text") prev.v += v;
    else out.push({ k: "text", v });
  };
  for (const token of tokenizeInline(text)) {
    if (token.k === "text") pushText(token.v);
    else if (token.k === "bold") {
      if (allowBold) out.push({ k: "b", c: parseInline(token.inner, hosts, false) });
      else pushText(`**${token.inner}**`);
    } else if (token.k === "link") {
      const href = safeHref(token.target, hosts);
      if (href) out.push({ k: "a", href, text: token.label });
      else pushText(token.label);
    } else {
      const href = safeHref(token.target, hosts);
      if (href) out.push({ k: "a", href, text: token.target });
      else pushText(token.target);
    }
  }
  return out;
}

/** The text a screen reader announces for a reply: the words, without markup. */
export function plainText(blocks: readonly Block[]): string {
  const inline = (nodes: readonly Inline[]): string =>
    nodes
      .map((n) => (n.k === "text" ? n.v : n.k === "b" ? inline(n.c) : n.k === "a" ? n.text : " "))
      .join("");
  return blocks
    .map((b) => (b.k === "p" ? inline(b.c) : b.items.map((item) => inline(item)).join("; ")))
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
}
