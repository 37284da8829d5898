/**
 * "Questions we could not answer", grouped: visitor questions whose search found nothing usable and replies that
 * were rated down, folded together by their normalised text so the shop sees which article is missing and how
 * often it was asked. Pure; db/kb-unanswered.ts reads the rows and the Knowledge page and
 * GET /api/admin/kb/unanswered show the groups. The text is visitor text shown to the shop's admins: PII is
 * masked here, and none of it is ever logged.
 */
import { maskPii } from "../guardrails/pii.ts";

/** no_hit: search_kb found no passage; not_cited: it found some but the reply used none; rated_down: thumbs down. */
export type UnansweredReason = "no_hit" | "not_cited" | "rated_down";

export interface UnansweredRow {
  text: string;
  reason: UnansweredReason;
  threadId: string;
  at: Date;
}

export interface UnansweredGroup {
  /** The newest wording of the question, PII masked. */
  question: string;
  /** The normalised text the group is keyed by. */
  key: string;
  count: number;
  reasons: Record<UnansweredReason, number>;
  lastAt: string;
  /** A few conversations to open in the console, newest first. */
  threadIds: string[];
}

const THREADS_PER_GROUP = 3;
const MAX_QUESTION_CHARS = 300;

/**
 * Case, composed forms, punctuation and spacing do not split a group: "Do you ship to Norway?" and
 * "do you ship to norway" are one question. PII is masked first ([EMAIL]), and runs of 3+ digits become "#", so
 * two order numbers do not make two questions.
 *
 * @example normaliseQuestion("Where's order FH-10023??") // "where s order fh #"
 */
export function normaliseQuestion(text: string): string {
  return maskPii(text)
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\p{N}{3,}/gu, "#")
    .replace(/[^\p{L}\p{N}#[\]]+/gu, " ")
    .trim();
}

/** Groups rows (any order) by normalised text; biggest groups first, then the most recent. */
export function groupUnanswered(rows: readonly UnansweredRow[], limit = 50): UnansweredGroup[] {
  const groups = new Map<string, UnansweredGroup & { newest: number }>();
  const newestFirst = [...rows].sort((a, b) => b.at.getTime() - a.at.getTime());
  for (const row of newestFirst) {
    const key = normaliseQuestion(row.text);
    if (key === "") continue;
    let group = groups.get(key);
    if (!group) {
      group = {
        question: maskPii(row.text).trim().slice(0, MAX_QUESTION_CHARS),
        key,
        count: 0,
        reasons: { no_hit: 0, not_cited: 0, rated_down: 0 },
        lastAt: row.at.toISOString(),
        threadIds: [],
        newest: row.at.getTime(),
      };
      groups.set(key, group);
    }
    group.count += 1;
    group.reasons[row.reason] += 1;
    if (group.threadIds.length < THREADS_PER_GROUP && !group.threadIds.includes(row.threadId)) {
      group.threadIds.push(row.threadId);
    }
  }
  return [...groups.values()]
    .sort((a, b) => b.count - a.count || b.newest - a.newest)
    .slice(0, limit)
    .map(({ newest: _newest, ...group }) => group);
}
