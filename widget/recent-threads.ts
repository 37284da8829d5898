/**
 * A signed-in visitor's recent conversations (GET /api/agent/threads): which one a device without a stored
 * thread restores, and how each is labelled in the "Earlier conversations" list. Pure, so it is tested in
 * Node; used by chat.ts.
 */
import type { RecentThreads } from "../core/contracts/api.ts";
import { parseMarkdown, plainText } from "./markdown.ts";

export type RecentThread = RecentThreads["threads"][number];

/**
 * Older conversations are not reopened by themselves: after a week the visitor more likely has a new
 * question. They stay one click away in the list.
 */
export const RESTORE_WITHIN_MS = 7 * 24 * 60 * 60 * 1000;

/** The newest conversation still open or with a person, updated within RESTORE_WITHIN_MS; null for none. */
export function threadToRestore(threads: readonly RecentThread[], now: number): string | null {
  let best: { id: string; at: number } | null = null;
  for (const t of threads) {
    const at = Date.parse(t.updated_at);
    if (t.status === "closed" || !(now - at <= RESTORE_WITHIN_MS)) continue;
    if (!best || at > best.at) best = { id: t.thread_id, at };
  }
  return best?.id ?? null;
}

/** The list is worth showing when it offers a conversation other than the one on screen. */
export function hasOtherThreads(threads: readonly RecentThread[], current: string | null): boolean {
  return threads.some((t) => t.thread_id !== current);
}

export interface ThreadChoice {
  id: string;
  /** The start of the latest reply as plain text (it is Markdown), or the fallback when there is none yet. */
  preview: string;
  /** When it was last active, in the widget's language; empty if the server sent no valid date. */
  when: string;
}

export function threadChoices(
  threads: readonly RecentThread[],
  lang: string,
  fallback: string,
): ThreadChoice[] {
  const format = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
  return threads.map((t) => {
    const at = Date.parse(t.updated_at);
    // The server cuts the reply at 140 characters, perhaps inside a link or bold: drop the half-open syntax.
    const cut = t.preview.replace(/\[([^\]]*)(\]\([^)]*)?$/, "$1");
    const preview = plainText(parseMarkdown(cut, [])).replaceAll("**", "");
    return { id: t.thread_id, preview: preview || fallback, when: Number.isNaN(at) ? "" : format.format(at) };
  });
}
