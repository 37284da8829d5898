// The routing eval without I/O: the golden set's line format, its parser and the run over a classifier. No Node
// imports: evals/routing.ts reads the file from disk, the Worker's nightly eval (queues/eval-job.ts) gets the
// same file bundled as text.
import { z } from "zod";
import { type RouteLabel, routeLabelSchema } from "../core/brain/route-label.ts";
import { type RoutingScore, scoreRouting } from "./routing-score.ts";

export const routingCaseSchema = z.object({
  id: z.string().min(1),
  message: z.string(),
  expected_tool: routeLabelSchema,
  acceptable_tools: z.array(routeLabelSchema).min(1),
});

export type RoutingCase = z.infer<typeof routingCaseSchema>;

export type Classify = (message: string) => Promise<RouteLabel>;

export type SkippedLine = { line: number; reason: string };

/** Parses JSONL text; a line that is not JSON or not a case is reported by its 1-based number and skipped. */
export function parseRoutingCases(text: string): { cases: RoutingCase[]; skipped: SkippedLine[] } {
  const cases: RoutingCase[] = [];
  const skipped: SkippedLine[] = [];
  text.split("\n").forEach((raw, index) => {
    if (raw.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      skipped.push({ line: index + 1, reason: "not valid JSON" });
      return;
    }
    const parsed = routingCaseSchema.safeParse(json);
    if (parsed.success) cases.push(parsed.data);
    else skipped.push({ line: index + 1, reason: z.prettifyError(parsed.error).replaceAll("\n", " ") });
  });
  return { cases, skipped };
}

export type RoutingPrediction = { id: string; expected: RouteLabel; predicted: RouteLabel };

export type RoutingRun = { score: RoutingScore; predictions: RoutingPrediction[]; msPerCase: number };

/** Classifies cases one at a time, in order, so a rate-limited LLM brain sees no burst. */
export async function runRoutingEval(cases: readonly RoutingCase[], classify: Classify): Promise<RoutingRun> {
  const predictions: RoutingPrediction[] = [];
  const outcomes = [];
  const started = performance.now();
  for (const c of cases) {
    const predicted = await classify(c.message);
    predictions.push({ id: c.id, expected: c.expected_tool, predicted });
    outcomes.push({ expected: c.expected_tool, acceptable: c.acceptable_tools, predicted });
  }
  const elapsed = performance.now() - started;
  return {
    score: scoreRouting(outcomes),
    predictions,
    msPerCase: cases.length === 0 ? 0 : elapsed / cases.length,
  };
}
