/**
 * Pure scorer of the answer eval (evals/answers.ts): one golden case's expectations against the reply the
 * visitor got. A case is correct when every check passes: the expected tool ran (or none, for small talk and
 * questions back), the reply cites one of the expected articles, it states every required fact (any of a
 * group's alternatives, as whole words), it states none of the forbidden ones, and it is no broken fragment.
 * Facts are matched in the reply's own words, without the citation links, so a title cannot supply a fact.
 */
import { z } from "zod";
import { routeLabelSchema } from "../core/brain/route-label.ts";

export const answerCaseSchema = z.strictObject({
  id: z.string().min(1),
  split: z.enum(["dev", "test"]),
  category: z.string().min(1),
  lang: z.enum(["en", "es", "de", "fr"]),
  /** The visitor's messages in order; the last one's reply is scored, earlier ones set the context. */
  turns: z.array(z.string().min(1)).min(1),
  /** Signed in through the site with this verified email. */
  signed_in: z.email().optional(),
  expect: z.strictObject({
    /** Acceptable tools for the scored turn; ["none"] means no tool at all. */
    tools: z.array(routeLabelSchema).min(1),
    /** Document ids of which at least one must be cited; empty for replies that cite nothing. */
    cites: z.array(z.string()),
    /** Each group: alternatives of one fact, of which at least one must appear. */
    must: z.array(z.array(z.string().min(1)).min(1)),
    must_not: z.array(z.string().min(1)),
  }),
});
export type AnswerCase = z.infer<typeof answerCaseSchema>;

export interface ObservedReply {
  text: string;
  /** Tools started during the scored turn. */
  tools: string[];
  citedDocs: string[];
}

export type Check = "tool" | "cites" | "must" | "must_not" | "fragment";

export interface CaseScore {
  correct: boolean;
  failed: Check[];
  /** The required facts that were missing and the forbidden ones that appeared, for reading failures. */
  missing: string[];
  forbidden: string[];
  words: number;
}

/** Lowercased reply text without citation links and Markdown emphasis, whitespace collapsed. */
export function visibleText(text: string): string {
  return text
    .replace(/\(See: [^)]*\)\)?/g, " ")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, " ")
    .replace(/\*\*|__/g, "")
    .replace(/[’‘]/g, "'")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

/** Whether `fact` occurs in `text` as whole words: "no" does not match "not", "14 days" does not match "114 days". */
export function mentions(text: string, fact: string): boolean {
  const needle = fact.toLowerCase().replace(/[’‘]/g, "'").replace(/\s+/g, " ").trim();
  const word = /[\p{L}\p{N}]/u;
  let from = 0;
  for (;;) {
    const at = text.indexOf(needle, from);
    if (at < 0) return false;
    const before = text[at - 1] ?? " ";
    const after = text[at + needle.length] ?? " ";
    const startsWord = word.test(needle[0] ?? "");
    const endsWord = word.test(needle[needle.length - 1] ?? "");
    if ((!startsWord || !word.test(before)) && (!endsWord || !word.test(after))) return true;
    from = at + 1;
  }
}

/** A reply that stops mid-sentence: a dangling comma or colon, or punctuation run together like ",.". */
export function isFragment(text: string): boolean {
  const plain = visibleText(text);
  return /[,;:]\s*[.!?]/.test(plain) || /[,;:]$/.test(plain) || plain.length === 0;
}

export function scoreCase(expect: AnswerCase["expect"], reply: ObservedReply): CaseScore {
  const failed: Check[] = [];
  const plain = visibleText(reply.text);
  const noTool = expect.tools.length === 1 && expect.tools[0] === "none";
  const toolOk = noTool
    ? reply.tools.length === 0
    : reply.tools.some((t) => expect.tools.some((e) => e === t));
  if (!toolOk) failed.push("tool");
  if (expect.cites.length > 0 && !reply.citedDocs.some((d) => expect.cites.includes(d))) failed.push("cites");
  const missing = expect.must
    .filter((group) => !group.some((fact) => mentions(plain, fact)))
    .map((g) => g.join(" | "));
  if (missing.length > 0) failed.push("must");
  const forbidden = expect.must_not.filter((fact) => mentions(plain, fact));
  if (forbidden.length > 0) failed.push("must_not");
  if (isFragment(reply.text)) failed.push("fragment");
  return {
    correct: failed.length === 0,
    failed,
    missing,
    forbidden,
    words: plain.split(" ").filter(Boolean).length,
  };
}

export interface Tally {
  cases: number;
  correct: number;
  accuracy: number;
}

/** Correctness grouped by a key of each case, e.g. category or language, with groups sorted by name. */
export function tallyBy<T>(
  rows: readonly { item: T; score: CaseScore }[],
  key: (item: T) => string,
): Record<string, Tally> {
  const groups = new Map<string, { cases: number; correct: number }>();
  for (const { item, score } of rows) {
    const k = key(item);
    const g = groups.get(k) ?? { cases: 0, correct: 0 };
    g.cases++;
    if (score.correct) g.correct++;
    groups.set(k, g);
  }
  return Object.fromEntries(
    [...groups]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, g]) => [k, { ...g, accuracy: Math.round((g.correct / g.cases) * 1000) / 1000 }]),
  );
}
