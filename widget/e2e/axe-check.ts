/**
 * axe-core in a page of the browser tests: writes every violation to artifacts/axe-<label>.json and fails on
 * a serious or critical one. The page's context needs `bypassCSP` so the script can be injected.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { assert } from "./harness.ts";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export async function runAxe(target: Page, artifactPath: string): Promise<string> {
  await target.addScriptTag({ content: axeSource });
  const found = await target.evaluate(async () => {
    const axe: typeof import("axe-core") = Reflect.get(window, "axe");
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? "unknown",
      nodes: v.nodes.length,
      help: v.help,
    }));
  });
  writeFileSync(artifactPath, JSON.stringify(found, null, 2));
  const blocking = found.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert(
    blocking.length === 0,
    `serious/critical: ${blocking.map((v) => `${v.id} (${v.impact}, ${v.nodes}): ${v.help}`).join("; ")}`,
  );
  return found.length === 0
    ? "no violations"
    : `minor only: ${found.map((v) => `${v.id}(${v.impact})`).join(", ")}`;
}
