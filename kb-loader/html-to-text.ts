/**
 * Turns an HTML page or a WordPress post body into the Markdown-ish text the chunker reads: headings become
 * `#` lines (so sections survive), paragraphs and blocks are separated by blank lines, list items become `- `
 * lines, table cells are separated by ` | `, and scripts, styles, navigation and forms are dropped. Entities are
 * decoded by htmlparser2. Used by the Markdown/HTML folder source and the WordPress source.
 */
import { Parser } from "htmlparser2";

const SKIP = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "nav",
  "form",
  "iframe",
  "head",
  "button",
]);
const BLOCK = new Set([
  "p",
  "div",
  "section",
  "article",
  "main",
  "header",
  "footer",
  "aside",
  "blockquote",
  "pre",
  "figure",
  "figcaption",
  "table",
  "ul",
  "ol",
  "dl",
  "dt",
  "dd",
  "hr",
  "address",
  "details",
  "summary",
]);

export interface HtmlText {
  text: string;
  /** The page's <title>, or null. */
  title: string | null;
  /** The text of the first <h1>, or null. */
  firstH1: string | null;
}

export function htmlToText(html: string): HtmlText {
  const out: string[] = [];
  let skipDepth = 0;
  let inPre = 0;
  // Filled in by the parser callbacks; an object so the compiler does not narrow the fields to their initial null.
  const found: { title: string | null; firstH1: string | null } = { title: null, firstH1: null };
  let inTitle = false;
  let h1Buffer: string[] | null = null;
  const newBlock = () => out.push("\n\n");

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (name === "title") inTitle = true;
        if (SKIP.has(name) || attribs.hidden !== undefined || attribs["aria-hidden"] === "true") {
          skipDepth++;
          return;
        }
        if (skipDepth > 0) return;
        const heading = /^h([1-6])$/.exec(name);
        if (heading) {
          newBlock();
          out.push(`${"#".repeat(Number(heading[1]))} `);
          if (name === "h1" && found.firstH1 === null) h1Buffer = [];
        } else if (name === "li") out.push("\n- ");
        else if (name === "br") out.push("\n");
        else if (name === "tr") out.push("\n");
        else if (name === "td" || name === "th") out.push(" | ");
        else if (name === "img" && attribs.alt) out.push(`[image: ${attribs.alt}]`);
        else if (BLOCK.has(name)) newBlock();
        if (name === "pre") inPre++;
      },
      ontext(data) {
        if (inTitle) found.title = ((found.title ?? "") + data).replace(/\s+/g, " ");
        if (skipDepth > 0) return;
        const text = inPre > 0 ? data : data.replace(/\s+/g, " ");
        out.push(text);
        h1Buffer?.push(text);
      },
      onclosetag(name) {
        if (name === "title") inTitle = false;
        if (SKIP.has(name)) {
          skipDepth = Math.max(0, skipDepth - 1);
          return;
        }
        if (skipDepth > 0) return;
        if (name === "pre") inPre = Math.max(0, inPre - 1);
        if (/^h[1-6]$/.test(name)) {
          if (h1Buffer) {
            found.firstH1 = h1Buffer.join("").replace(/\s+/g, " ").trim() || null;
            h1Buffer = null;
          }
          newBlock();
        } else if (BLOCK.has(name)) newBlock();
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return { text: tidy(out.join("")), title: found.title?.trim() || null, firstH1: found.firstH1 };
}

/** Collapses the whitespace the walk above leaves: trailing spaces, headings broken over lines, blank runs. */
function tidy(text: string): string {
  return text
    .replace(/\u00a0/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .join("\n")
    .replace(/^(#{1,6}) +/gm, "$1 ")
    .replace(/^ ?\| ?/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
