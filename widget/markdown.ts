/**
 * The small Markdown subset replies use, parsed into a tree the view turns into DOM nodes with textContent
 * only: paragraphs (single line breaks kept), bullet and numbered lists, **bold**, [links](https://…) and bare
 * http(s) URLs. Headings read as bold paragraphs; anything else stays literal text. A link whose target is not
 * an absolute http(s) URL keeps its text and loses the link. Pure, so it is tested in Node.
 */

export type Inline =
  | { k: "text"; v: string }
  | { k: "b"; c: Inline[] }
  | { k: "a"; href: string; text: string }
  | { k: "br" };

export type Block = { k: "p"; c: Inline[] } | { k: "ul" | "ol"; items: Inline[][] };

/** The URL, normalised, if it is an absolute http or https URL; null for anything else (javascript:, data:…). */
export function safeHref(raw: string): string | null {
  if (!/^https?:\/\//i.test(raw.trim())) return null;
  try {
    const url = new URL(raw.trim());
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

const BULLET = /^\s*[-*•]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+(.*)$/;
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  // Held in an object: the closures below reassign it, which the compiler's narrowing does not follow.
  const open: { list: { k: "ul" | "ol"; items: string[] } | null } = { list: null };

  const closeParagraph = () => {
    if (paragraph.length > 0) blocks.push({ k: "p", c: inlineLines(paragraph) });
    paragraph = [];
  };
  const closeList = () => {
    if (open.list) blocks.push({ k: open.list.k, items: open.list.items.map((item) => parseInline(item)) });
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
      blocks.push({ k: "p", c: [{ k: "b", c: parseInline(heading[1] ?? "") }] });
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

function inlineLines(lines: string[]): Inline[] {
  const out: Inline[] = [];
  lines.forEach((line, i) => {
    if (i > 0) out.push({ k: "br" });
    out.push(...parseInline(line));
  });
  return out;
}

// Bold, a Markdown link, or a bare URL (trailing punctuation is not part of it).
const INLINE = /\*\*(.+?)\*\*|\[([^\]\n]+)\]\(([^()\s]+)\)|(https?:\/\/[^\s<>()[\]]*[^\s<>()[\].,;:!?'"])/g;

export function parseInline(text: string, allowBold = true): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  const pushText = (v: string) => {
    if (!v) return;
    const prev = out[out.length - 1];
    if (prev?.k === "text") prev.v += v;
    else out.push({ k: "text", v });
  };
  for (const match of text.matchAll(INLINE)) {
    const [whole, bold, linkText, linkHref, bare] = match;
    const at = match.index ?? 0;
    pushText(text.slice(last, at));
    last = at + whole.length;
    if (bold !== undefined) {
      if (allowBold) out.push({ k: "b", c: parseInline(bold, false) });
      else pushText(whole);
    } else if (linkText !== undefined && linkHref !== undefined) {
      const href = safeHref(linkHref);
      if (href) out.push({ k: "a", href, text: linkText });
      else pushText(linkText);
    } else if (bare !== undefined) {
      const href = safeHref(bare);
      if (href) out.push({ k: "a", href, text: bare });
      else pushText(bare);
    }
  }
  pushText(text.slice(last));
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
