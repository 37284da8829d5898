import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { createOfflineRouter } from "../core/brain/offline-router.ts";
import type { RouteLabel } from "../core/brain/route-label.ts";
import { parseRoutingCases, routingReport, runRoutingEval } from "./routing.ts";

const line = (id: string, message: string, expected: RouteLabel, acceptable: RouteLabel[] = [expected]) =>
  JSON.stringify({ id, message, expected_tool: expected, acceptable_tools: acceptable, source: "test" });

describe("parseRoutingCases", () => {
  it("keeps valid lines, ignores blank ones and reports bad ones by line number", () => {
    const text = [
      line("a", "where is my order", "get_order"),
      "",
      "{not json",
      JSON.stringify({ id: "c", message: "hi", expected_tool: "dance", acceptable_tools: ["none"] }),
      line("d", "hello", "none"),
    ].join("\n");
    const { cases, skipped } = parseRoutingCases(text);
    expect(cases.map((c) => c.id)).toEqual(["a", "d"]);
    expect(skipped.map((s) => s.line)).toEqual([3, 4]);
    expect(skipped[0]?.reason).toContain("JSON");
  });
});

describe("runRoutingEval", () => {
  it("routes each case through the classifier it is given and scores the result", async () => {
    const { cases } = parseRoutingCases(
      [
        line("1", "where is my order", "get_order"),
        line("2", "cancel it", "create_ticket", ["create_ticket", "get_order"]),
      ].join("\n"),
    );
    const seen: string[] = [];
    const run = await runRoutingEval(cases, async (message) => {
      seen.push(message);
      return "get_order";
    });
    expect(seen).toEqual(["where is my order", "cancel it"]);
    expect(run.score.exact).toBe(0.5);
    expect(run.score.lenient).toBe(1);
    expect(run.predictions).toEqual([
      { id: "1", expected: "get_order", predicted: "get_order" },
      { id: "2", expected: "create_ticket", predicted: "get_order" },
    ]);
    const report = routingReport("fake", run, 3);
    expect(report).toMatchObject({ brain: "fake", cases: 2, exact: 0.5, lenient: 1, skipped: 3 });
    expect(report.per_tool.create_ticket).toEqual({ cases: 1, exact: 0, lenient: 1 });
    expect(report.confusion.create_ticket.get_order).toBe(1);
  });

  it("passes the Fernhill golden set with the offline router", async () => {
    const text = await readFile(new URL("./golden/routing.jsonl", import.meta.url), "utf8");
    const { cases, skipped } = parseRoutingCases(text);
    expect(skipped).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(60);
    const router = createOfflineRouter();
    const run = await runRoutingEval(cases, async (message) => router.route(message).tool);
    expect(run.score.exact).toBeGreaterThanOrEqual(0.9);
  });
});
