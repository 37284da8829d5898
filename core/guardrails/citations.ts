/**
 * The citation check. Search results reach the Brain labelled S1, S2, ...; a reply cites them as `[S1]`. A reply
 * built on the knowledge base must cite at least one passage retrieved in this turn, and a marker that names
 * nothing retrieved (a hallucination, or an injected "source") is a failed check.
 */
import type { Citation } from "../contracts/thread.ts";
import { plainLabel } from "./sanitize.ts";

const MARKER = /\[(S\d+(?:\s*,\s*S\d+)*)\]/g;

export interface CitationCheck {
  /** Retrieved passages the reply cites, in order of first use. */
  cited: Citation[];
  /** Markers that name no passage retrieved in this turn. */
  unknownRefs: string[];
  passed: boolean;
}

export function checkCitations(text: string, retrieved: readonly Citation[], kbUsed: boolean): CitationCheck {
  const byRef = new Map(retrieved.map((c) => [c.ref, c]));
  const cited: Citation[] = [];
  const unknownRefs: string[] = [];
  for (const match of text.matchAll(MARKER)) {
    for (const ref of (match[1] ?? "").split(",").map((r) => r.trim())) {
      const citation = byRef.get(ref);
      if (!citation) unknownRefs.push(ref);
      else if (!cited.includes(citation)) cited.push(citation);
    }
  }
  const passed = unknownRefs.length === 0 && (!kbUsed || cited.length > 0);
  return { cited, unknownRefs, passed };
}

/** Drops every sentence that carries a marker naming nothing retrieved: the claim goes, the rest stays. */
export function dropUnsupportedClaims(text: string, retrieved: readonly Citation[]): string {
  const known = new Set(retrieved.map((c) => c.ref));
  return text
    .split(/(?<=[.!?])\s+/)
    .filter((sentence) => {
      for (const match of sentence.matchAll(MARKER)) {
        if ((match[1] ?? "").split(",").some((ref) => !known.has(ref.trim()))) return false;
      }
      return true;
    })
    .join(" ")
    .trim();
}

/**
 * Turns `[S1]` markers into "(See: [Title](url))" links, each page linked once, where it is first cited. Titles
 * are plain text (a document cannot smuggle a link in through its title); a citation without a URL (its host is
 * not allowed) is named, not linked. The caller sanitizes the result like any other output.
 */
export function renderCitations(text: string, retrieved: readonly Citation[]): string {
  const byRef = new Map(retrieved.map((c) => [c.ref, c]));
  const shown = new Set<string>();
  return text
    .replace(MARKER, (_whole, refs: string) => {
      const links = refs.split(",").flatMap((r) => {
        const c = byRef.get(r.trim());
        // Two passages of one article are one link.
        if (!c || shown.has(c.url || c.docId)) return [];
        shown.add(c.url || c.docId);
        const title = plainLabel(c.title) || "source";
        return [c.url ? `[${title}](${c.url})` : title];
      });
      return links.length > 0 ? `(See: ${links.join("; ")})` : "";
    })
    .replace(/[ \t]+\n/g, "\n")
    .replace(/ {2,}/g, " ")
    .replace(/ +([.,!?:])/g, "$1")
    .trim();
}
