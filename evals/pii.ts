/**
 * PII eval: runs core/guardrails/pii.ts over labelled messages (JSONL: message, pii: [{type, value, start, end}])
 * and prints precision and recall per PII type. A detected span counts as correct when it overlaps a labelled span
 * of the same type (the masker keeps cue words such as "born" or "my password is" readable, so its spans can be
 * shorter than the labels); every other detection is a false positive of its type. Run by hand and by CI:
 *   npm run -s eval:pii -- --cases FILE [--json]
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { findPii, type PiiSpan } from "../core/guardrails/pii.ts";
import { readJsonlFile } from "./input-file.ts";

const caseSchema = z.looseObject({
  id: z.string().optional(),
  message: z.string(),
  pii: z.array(z.object({ type: z.string(), start: z.number().int(), end: z.number().int() })),
});
type PiiCase = z.infer<typeof caseSchema>;

export interface TypeScore {
  labelled: number;
  detected: number;
  true_positives: number;
  precision: number;
  recall: number;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;

export function scorePii(cases: readonly PiiCase[], detect: (text: string) => PiiSpan[] = findPii) {
  const counts = new Map<
    string,
    { labelled: number; detected: number; tpDetected: number; tpLabelled: number }
  >();
  const entry = (type: string) => {
    let e = counts.get(type);
    if (!e) {
      e = { labelled: 0, detected: 0, tpDetected: 0, tpLabelled: 0 };
      counts.set(type, e);
    }
    return e;
  };
  const misses: { id: string | undefined; type: string; kind: "missed" | "false_positive" }[] = [];
  for (const c of cases) {
    const found = detect(c.message);
    for (const gold of c.pii) {
      const e = entry(gold.type);
      e.labelled++;
      if (found.some((f) => f.type === gold.type && overlaps(f, gold))) e.tpLabelled++;
      else misses.push({ id: c.id, type: gold.type, kind: "missed" });
    }
    for (const f of found) {
      const e = entry(f.type);
      e.detected++;
      if (c.pii.some((gold) => gold.type === f.type && overlaps(f, gold))) e.tpDetected++;
      else misses.push({ id: c.id, type: f.type, kind: "false_positive" });
    }
  }
  const ratio = (a: number, b: number) => (b === 0 ? 1 : Math.round((a / b) * 10_000) / 10_000);
  const byType: Record<string, TypeScore> = {};
  let labelled = 0;
  let detected = 0;
  let tpL = 0;
  let tpD = 0;
  for (const [type, e] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    byType[type] = {
      labelled: e.labelled,
      detected: e.detected,
      true_positives: e.tpLabelled,
      precision: ratio(e.tpDetected, e.detected),
      recall: ratio(e.tpLabelled, e.labelled),
    };
    labelled += e.labelled;
    detected += e.detected;
    tpL += e.tpLabelled;
    tpD += e.tpDetected;
  }
  return {
    cases: cases.length,
    overall: { labelled, detected, precision: ratio(tpD, detected), recall: ratio(tpL, labelled) },
    by_type: byType,
    errors: misses,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { cases: { type: "string" }, json: { type: "boolean", default: false } },
  });
  if (!values.cases) {
    process.stderr.write("usage: eval:pii -- --cases FILE [--json]\n");
    process.exit(2);
  }
  const cases = await readJsonlFile(values.cases, caseSchema);
  const result = scorePii(cases);
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  for (const [type, s] of Object.entries(result.by_type)) {
    console.log(
      `${type.padEnd(14)} labelled ${String(s.labelled).padStart(3)}  detected ${String(s.detected).padStart(3)}  precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}`,
    );
  }
  console.log(
    `overall        precision ${result.overall.precision.toFixed(3)}  recall ${result.overall.recall.toFixed(3)}`,
  );
  for (const e of result.errors) console.log(`  ${e.kind} ${e.type} in ${e.id ?? "?"}`);
}

if (import.meta.main) await main();
