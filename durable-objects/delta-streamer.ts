/**
 * Streams a Brain's text to the visitor without letting anything unsafe through on the way: text is held
 * until a sentence or line ends (and no link or marker is half-open), then sanitized and given its citation
 * links before it is sent; text that quotes the system prompt stops the stream. The final message still goes through the full guardrail and replaces this text.
 */
import type { Citation } from "../core/contracts/thread.ts";
import { renderCitations } from "../core/guardrails/citations.ts";
import { leaksPrompt } from "../core/guardrails/prompt-leak.ts";
import { type SanitizeOptions, sanitizeOutput } from "../core/guardrails/sanitize.ts";

export interface DeltaStreamer {
  push(text: string): void;
  flush(): void;
  emitted(): boolean;
}

export function createDeltaStreamer(options: {
  sanitize: SanitizeOptions;
  citations: readonly Citation[];
  emit(text: string): void;
}): DeltaStreamer {
  let buffer = "";
  let sent = false;
  // Once the text quotes the system prompt, nothing more streams; the final message is the refusal.
  let shown = "";
  let stopped = false;
  // Each passage is linked once per message, as in the final text: a marker seen once renders as nothing after.
  let unlinked = [...options.citations];
  const send = (segment: string) => {
    if (stopped) return;
    const safe = sanitizeOutput(segment, options.sanitize);
    if (leaksPrompt(shown + safe)) {
      stopped = true;
      return;
    }
    shown += safe;
    const clean = renderCitations(safe, unlinked);
    const linked = new Set(
      unlinked.filter((c) => safe.includes(`${c.ref}]`) || safe.includes(`${c.ref},`)).map((c) => c.url),
    );
    unlinked = unlinked.filter((c) => !linked.has(c.url));
    if (clean.length === 0) return;
    // renderCitations trims; keep the spacing and line breaks the model wrote between segments.
    const lead = sent ? (/^\s*/.exec(segment)?.[0] ?? "") : "";
    const trail = /\n+$/.exec(segment)?.[0] ?? "";
    options.emit(lead + clean + trail);
    sent = true;
  };
  return {
    push(text) {
      buffer += text;
      const cut = safeCut(buffer);
      if (cut > 0) {
        send(buffer.slice(0, cut));
        buffer = buffer.slice(cut);
      }
    },
    flush() {
      if (buffer.trim()) send(buffer);
      buffer = "";
    },
    emitted: () => sent,
  };
}

/** The end of the last complete sentence or line, if no bracket or parenthesis is still open before it. */
function safeCut(text: string): number {
  let cut = 0;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "[" || ch === "(") depth++;
    else if ((ch === "]" || ch === ")") && depth > 0) depth--;
    else if (depth === 0 && (ch === "\n" || (/[.!?]/.test(ch ?? "") && /\s/.test(text[i + 1] ?? ""))))
      cut = i + 1;
  }
  return cut;
}
