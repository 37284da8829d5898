/**
 * Splits a document's Markdown-ish text into chunks for the index. Headings come first: the text is cut into
 * heading sections (with their heading path, e.g. "Returns > Damaged items"), and consecutive small sections are
 * packed together up to the size limit, so a chunk never starts mid-section unless the section itself is too
 * long. A section longer than the limit is cut into windows of 512-800 tokens that overlap by 80 tokens, with cuts
 * moved to word starts. Tokens are counted with cl100k_base (the tokenizer of OpenAI's embedding models), not
 * estimated from characters. Called by load-knowledge.ts for every document.
 */
import { decode, encode } from "gpt-tokenizer/encoding/cl100k_base";

export interface ChunkOptions {
  /** A chunk that has reached this size ends at the next heading. */
  minTokens: number;
  maxTokens: number;
  overlapTokens: number;
}

export const defaultChunkOptions: ChunkOptions = { minTokens: 512, maxTokens: 800, overlapTokens: 80 };

export interface TextChunk {
  ordinal: number;
  /** Heading path of the section the chunk starts in; "" before the first heading. */
  sectionPath: string;
  text: string;
  tokenCount: number;
}

interface Section {
  path: string;
  text: string;
  tokens: number[];
}

// Text in documents is data: a literal "<|endoftext|>" must be counted as text, not rejected as a special token.
const encodeText = (text: string) => encode(text, { disallowedSpecial: new Set() });

export function countTokens(text: string): number {
  return encodeText(text).length;
}

export function chunkText(
  text: string,
  title: string,
  options: ChunkOptions = defaultChunkOptions,
): TextChunk[] {
  const chunks: Omit<TextChunk, "ordinal">[] = [];
  let packed: Section[] = [];
  let packedTokens = 0;
  const flush = () => {
    if (packed.length === 0) return;
    const body = packed.map((s) => s.text).join("\n\n");
    chunks.push({ sectionPath: packed[0]?.path ?? "", text: body, tokenCount: countTokens(body) });
    packed = [];
    packedTokens = 0;
  };

  for (const section of splitSections(text, title)) {
    const size = section.tokens.length;
    if (size > options.maxTokens) {
      flush();
      for (const window of tokenWindows(section.tokens, options)) {
        chunks.push({ sectionPath: section.path, text: window.text, tokenCount: window.tokens });
      }
      continue;
    }
    // The +2 accounts for the blank line that joins two packed sections.
    if (packedTokens >= options.minTokens || packedTokens + size + 2 > options.maxTokens) flush();
    packed.push(section);
    packedTokens += size + (packed.length > 1 ? 2 : 0);
  }
  flush();
  return chunks.map((chunk, ordinal) => ({ ordinal, ...chunk }));
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

/** Cuts text at Markdown headings (outside code fences); each section keeps the path of headings above it. */
export function splitSections(text: string, title = ""): Section[] {
  const sections: Section[] = [];
  const stack: { level: number; text: string }[] = [];
  let lines: string[] = [];
  let path = "";
  let inFence = false;
  const close = () => {
    const body = lines.join("\n").trim();
    if (body) sections.push({ path, text: body, tokens: encodeText(body) });
    lines = [];
  };
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    if (FENCE.test(line)) inFence = !inFence;
    const heading = inFence ? null : HEADING.exec(line);
    if (heading) {
      close();
      const level = heading[1]?.length ?? 1;
      const name = (heading[2] ?? "").trim();
      while (stack.length > 0 && (stack.at(-1)?.level ?? 0) >= level) stack.pop();
      // A top heading that repeats the document title adds nothing to the path.
      if (!(level === 1 && name === title.trim())) stack.push({ level, text: name });
      path = stack.map((h) => h.text).join(" > ");
    }
    lines.push(line);
  }
  close();
  return sections;
}

/**
 * Windows of at most maxTokens that overlap by at least overlapTokens, sized evenly so the last window is not a
 * sliver. A cut moves back to the nearest token that starts a word (at most 48 tokens), so words stay whole.
 */
export function tokenWindows(tokens: number[], options: ChunkOptions): { text: string; tokens: number }[] {
  const { maxTokens, overlapTokens } = options;
  const stride = maxTokens - overlapTokens;
  const count = Math.max(1, Math.ceil((tokens.length - overlapTokens) / stride));
  const target = Math.ceil((tokens.length - overlapTokens) / count) + overlapTokens;
  const windows: { text: string; tokens: number }[] = [];
  let start = 0;
  while (start < tokens.length) {
    // Whatever fits in one window is the last window, so snapping never leaves a sliver behind.
    let end = tokens.length - start <= maxTokens ? tokens.length : start + target;
    if (end < tokens.length) end = wordStartAtOrBefore(tokens, end, start + overlapTokens + 1);
    windows.push({ text: decode(tokens.slice(start, end)).trim(), tokens: end - start });
    if (end >= tokens.length) break;
    // The next window starts overlapTokens before this one ends, moved back to a word start.
    start = wordStartAtOrBefore(tokens, end - overlapTokens, start + 1);
  }
  return windows;
}

function wordStartAtOrBefore(tokens: number[], index: number, floor: number): number {
  for (let i = index; i >= Math.max(floor, index - 48); i--) {
    const token = tokens[i];
    if (token !== undefined && /^\s/.test(decode([token]))) return i;
  }
  return index;
}
