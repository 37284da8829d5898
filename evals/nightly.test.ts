import { describe, expect, it } from "vitest";
import { type EvalScores, regressions, retrievalCases } from "./nightly.ts";

const scores = (x: number): EvalScores => ({
  routing_exact: x,
  routing_lenient: x,
  retrieval_recall_at_1: x,
  retrieval_recall_at_3: x,
  retrieval_mrr: x,
});

describe("regressions", () => {
  it("flags only metrics more than 2 points below the previous run", () => {
    expect(regressions(null, scores(0.5))).toEqual([]);
    expect(regressions(scores(0.9), scores(0.88))).toEqual([]);
    expect(regressions(scores(0.9), scores(0.95))).toEqual([]);
    const dropped = regressions(scores(0.9), { ...scores(0.9), retrieval_mrr: 0.879 });
    expect(dropped).toEqual([{ metric: "retrieval_mrr", before: 0.9, after: 0.879, dropPoints: 2.1 }]);
  });
});

describe("retrievalCases", () => {
  it("keeps single-message cases that expect search_kb and cite an article", () => {
    const line = (id: string, turns: string[], tools: string[], cites: string[]) =>
      JSON.stringify({
        id,
        split: "dev",
        category: "c",
        lang: "en",
        turns,
        expect: { tools, cites, must: [], must_not: [] },
      });
    const text = [
      line("kept", ["Do you ship to Norway?"], ["search_kb"], ["kb-shipping"]),
      line("two-turns", ["hi", "returns?"], ["search_kb"], ["kb-returns"]),
      line("order", ["where is FH-1?"], ["get_order"], ["kb-x"]),
      line("no-cite", ["thanks"], ["none"], []),
    ].join("\n");
    expect(retrievalCases(text).map((c) => c.id)).toEqual(["kept"]);
  });
});
