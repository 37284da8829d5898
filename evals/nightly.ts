/**
 * The nightly eval without I/O: the project's golden routing set (evals/golden/routing.jsonl) through the live
 * brain's router, and the help-centre questions of the answer set (evals/golden/answers.jsonl: single-turn cases
 * that expect search_kb, scored against the articles they must cite) through the agent's own search, each at
 * the agent's top_k. Scores are fractions; a metric that falls more than 2 points (0.02) below the previous run
 * is a regression. Run by queues/eval-job.ts with ports onto the live configuration; reports carry case ids and
 * numbers only.
 */
import { type AnswerCase, answerCaseSchema } from "./answers-score.ts";
import { score as retrievalScore } from "./retrieval-metrics.ts";
import { type Classify, parseRoutingCases, runRoutingEval } from "./routing-eval.ts";

export const EVAL_METRICS = [
  "routing_exact",
  "routing_lenient",
  "retrieval_recall_at_1",
  "retrieval_recall_at_3",
  "retrieval_mrr",
] as const;
export type EvalMetric = (typeof EVAL_METRICS)[number];
export type EvalScores = Record<EvalMetric, number>;

/** More than this many points (hundredths) below the previous run raises the flag. */
export const REGRESSION_POINTS = 2;

export interface Regression {
  metric: EvalMetric;
  before: number;
  after: number;
  /** In points (hundredths), positive: how far it fell. */
  dropPoints: number;
}

export interface NightlyPorts {
  classify: Classify;
  /** Document ids of the passages search_kb would hand the Brain for this question, best first. */
  search(question: string): Promise<string[]>;
}

export interface NightlyReport {
  routing: { cases: number; skipped: number; misses: string[]; perTool: Record<string, number> };
  retrieval: {
    cases: number;
    misses: string[];
    bySplit: Record<string, { cases: number; recallAt3: number }>;
  };
}

/** The answer cases that measure retrieval: one visitor message that should be answered from the help centre. */
export function retrievalCases(answersJsonl: string): AnswerCase[] {
  return answersJsonl
    .split("\n")
    .filter((line) => line.trim() !== "")
    .flatMap((line) => {
      const parsed = answerCaseSchema.safeParse(JSON.parse(line));
      if (!parsed.success) return [];
      const c = parsed.data;
      return c.turns.length === 1 && c.expect.cites.length > 0 && c.expect.tools.includes("search_kb")
        ? [c]
        : [];
    });
}

export async function runNightlyEvals(
  golden: { routing: string; answers: string },
  ports: NightlyPorts,
): Promise<{ scores: EvalScores; report: NightlyReport }> {
  const { cases, skipped } = parseRoutingCases(golden.routing);
  const routing = await runRoutingEval(cases, ports.classify);
  const byId = new Map(cases.map((c) => [c.id, c]));
  const routingMisses = routing.predictions
    .filter((p) => {
      const c = byId.get(p.id);
      return c !== undefined && p.predicted !== c.expected_tool && !c.acceptable_tools.includes(p.predicted);
    })
    .map((p) => p.id);

  const questions = retrievalCases(golden.answers);
  const outcomes: {
    id: string;
    split: string;
    relevant: string[];
    ranked: string[];
    groups: Record<string, string>;
    ms: number;
  }[] = [];
  for (const c of questions) {
    const ranked = await ports.search(c.turns[0] ?? "");
    outcomes.push({ id: c.id, split: c.split, relevant: c.expect.cites, ranked, groups: {}, ms: 0 });
  }
  const overall = retrievalScore(outcomes);
  const splits = [...new Set(outcomes.map((o) => o.split))].sort();
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    scores: {
      routing_exact: round(routing.score.exact),
      routing_lenient: round(routing.score.lenient),
      retrieval_recall_at_1: overall["recall@1"],
      retrieval_recall_at_3: overall["recall@3"],
      retrieval_mrr: overall.mrr,
    },
    report: {
      routing: {
        cases: routing.score.cases,
        skipped: skipped.length,
        misses: routingMisses,
        perTool: Object.fromEntries(
          Object.entries(routing.score.perTool).map(([tool, row]) => [tool, round(row.lenient)]),
        ),
      },
      retrieval: {
        cases: outcomes.length,
        misses: outcomes
          .filter((o) => !o.ranked.slice(0, 3).some((d) => o.relevant.includes(d)))
          .map((o) => o.id),
        bySplit: Object.fromEntries(
          splits.map((split) => {
            const part = outcomes.filter((o) => o.split === split);
            return [split, { cases: part.length, recallAt3: retrievalScore(part)["recall@3"] }];
          }),
        ),
      },
    },
  };
}

/** The metrics that fell more than REGRESSION_POINTS since the previous run (none without one). */
export function regressions(previous: EvalScores | null, current: EvalScores): Regression[] {
  if (!previous) return [];
  return EVAL_METRICS.flatMap((metric) => {
    const before = previous[metric];
    const after = current[metric];
    const dropPoints = Math.round((before - after) * 10_000) / 100;
    return dropPoints > REGRESSION_POINTS ? [{ metric, before, after, dropPoints }] : [];
  });
}
