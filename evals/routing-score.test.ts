import { describe, expect, it } from "vitest";
import { scoreRouting } from "./routing-score.ts";

describe("scoreRouting", () => {
  it("scores exact and lenient accuracy overall and per expected route", () => {
    const score = scoreRouting([
      { expected: "get_order", acceptable: ["get_order"], predicted: "get_order" },
      { expected: "get_order", acceptable: ["get_order", "search_kb"], predicted: "search_kb" },
      { expected: "create_ticket", acceptable: ["create_ticket", "get_order"], predicted: "none" },
      { expected: "none", acceptable: ["none"], predicted: "none" },
    ]);
    expect(score.cases).toBe(4);
    expect(score.exact).toBe(0.5);
    expect(score.lenient).toBe(0.75);
    expect(score.perTool.get_order).toEqual({ cases: 2, exact: 0.5, lenient: 1 });
    expect(score.perTool.create_ticket).toEqual({ cases: 1, exact: 0, lenient: 0 });
    expect(score.perTool.none).toEqual({ cases: 1, exact: 1, lenient: 1 });
    expect(score.perTool.handoff_human).toEqual({ cases: 0, exact: 0, lenient: 0 });
  });

  it("fills an expected x predicted confusion matrix with every route present", () => {
    const { confusion } = scoreRouting([
      { expected: "get_order", acceptable: ["get_order"], predicted: "search_kb" },
      { expected: "get_order", acceptable: ["get_order"], predicted: "search_kb" },
      { expected: "search_kb", acceptable: ["search_kb"], predicted: "search_kb" },
    ]);
    expect(confusion.get_order.search_kb).toBe(2);
    expect(confusion.search_kb.search_kb).toBe(1);
    expect(confusion.none.none).toBe(0);
    expect(Object.keys(confusion)).toHaveLength(5);
    for (const row of Object.values(confusion)) expect(Object.keys(row)).toHaveLength(5);
  });

  it("counts the expected route as acceptable even when the list omits it", () => {
    const score = scoreRouting([{ expected: "none", acceptable: ["search_kb"], predicted: "none" }]);
    expect(score.lenient).toBe(1);
  });

  it("scores an empty run as zero instead of NaN", () => {
    const score = scoreRouting([]);
    expect(score.exact).toBe(0);
    expect(score.lenient).toBe(0);
    expect(score.perTool.search_kb.exact).toBe(0);
  });
});
