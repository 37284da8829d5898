// Routing eval runner: routes every message of a JSONL case file through a classifier and scores it against the
// expected route. Run by hand and by CI:
//   npx node evals/routing.ts --cases evals/golden/routing.jsonl [--json] [--kb PATH [--kb-exclude PREFIX,...]]
// --kb gives the offline router a help centre (a Markdown folder or a JSONL corpus) for its scope decision.
// The classifier is a parameter of runRoutingEval so the configured LLM brain can be measured the same way as the
// offline router. Only stdout carries results; problems with the input go to stderr.
import { parseArgs } from "node:util";
import { routeLabels } from "../core/brain/route-label.ts";
import { createShopIndex } from "../core/brain/shop-index.ts";
import { configuredClassifier } from "./brain-classifier.ts";
import { readInputFile } from "./input-file.ts";
import { parseRoutingCases, type RoutingRun, runRoutingEval } from "./routing-eval.ts";
import { readShopPassages } from "./shop-passages.ts";

export {
  type Classify,
  parseRoutingCases,
  type RoutingCase,
  type RoutingPrediction,
  type RoutingRun,
  routingCaseSchema,
  runRoutingEval,
} from "./routing-eval.ts";

/** The JSON report printed with --json; snake_case because other tools and CI read it. */
export function routingReport(brain: string, run: RoutingRun, skipped: number) {
  const { score } = run;
  const round = (x: number): number => Math.round(x * 10000) / 10000;
  return {
    brain,
    cases: score.cases,
    exact: round(score.exact),
    lenient: round(score.lenient),
    per_tool: Object.fromEntries(
      routeLabels.map((label) => {
        const row = score.perTool[label];
        return [label, { cases: row.cases, exact: round(row.exact), lenient: round(row.lenient) }];
      }),
    ),
    confusion: score.confusion,
    skipped,
    ms_per_case: round(run.msPerCase),
  };
}

function formatTable(brain: string, run: RoutingRun, skipped: number): string {
  const { score } = run;
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const pad = (s: string | number, n: number): string => String(s).padStart(n);
  const lines = [
    `brain ${brain}: ${score.cases} cases, exact ${pct(score.exact)}, lenient ${pct(score.lenient)}, ` +
      `skipped ${skipped}, ${run.msPerCase.toFixed(3)} ms per case`,
    "",
    `${"expected".padEnd(14)}${pad("cases", 7)}${pad("exact", 9)}${pad("lenient", 9)}`,
  ];
  for (const label of routeLabels) {
    const row = score.perTool[label];
    lines.push(`${label.padEnd(14)}${pad(row.cases, 7)}${pad(pct(row.exact), 9)}${pad(pct(row.lenient), 9)}`);
  }
  lines.push("", `confusion (rows expected, columns predicted)`);
  lines.push(`${"".padEnd(14)}${routeLabels.map((l) => pad(l, 14)).join("")}`);
  for (const expected of routeLabels) {
    const cells = routeLabels.map((predicted) => pad(score.confusion[expected][predicted], 14));
    lines.push(`${expected.padEnd(14)}${cells.join("")}`);
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cases: { type: "string" },
      json: { type: "boolean", default: false },
      kb: { type: "string" },
      "kb-exclude": { type: "string", default: "" },
    },
  });
  if (values.cases === undefined) {
    console.error("usage: node evals/routing.ts --cases FILE.jsonl [--json]");
    process.exitCode = 2;
    return;
  }
  const { cases, skipped } = parseRoutingCases(await readInputFile(values.cases));
  for (const s of skipped) console.error(`${values.cases}:${s.line}: skipped: ${s.reason}`);
  const exclude = values["kb-exclude"].split(",").filter(Boolean);
  const shop = values.kb ? createShopIndex(await readShopPassages(values.kb, exclude)) : undefined;
  const { brain, classify } = configuredClassifier(process.env, shop);
  const run = await runRoutingEval(cases, classify);
  if (values.json) console.log(JSON.stringify(routingReport(brain, run, skipped.length)));
  else console.log(formatTable(brain, run, skipped.length));
}

if (import.meta.main) await main();
