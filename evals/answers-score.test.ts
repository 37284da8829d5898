import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCases } from "./answers.ts";
import { isFragment, mentions, scoreCase, tallyBy, visibleText } from "./answers-score.ts";

const expectRefunds = {
  tools: ["search_kb" as const],
  cites: ["kb-refund-timing"],
  must: [["3 business days"], ["5-10", "five to ten"]],
  must_not: ["14 days"],
};

describe("answer scoring", () => {
  it("matches facts as whole words, without citation links", () => {
    const text = visibleText(
      "We check it within **3 business days** (See: [Refund timing 114 days](https://x.example/a))",
    );
    expect(mentions(text, "3 business days")).toBe(true);
    expect(mentions(text, "14 days")).toBe(false);
    expect(mentions("it is not waterproof", "no")).toBe(false);
    expect(mentions("no, it is not", "no")).toBe(true);
    expect(mentions("shipping costs €39.95", "39.95")).toBe(true);
  });

  it("passes a reply that runs the tool, cites the article and states every fact", () => {
    const score = scoreCase(expectRefunds, {
      text: "We check returns within 3 business days; cards take 5-10 business days [S1]. (See: [Refund timing](u))",
      tools: ["search_kb"],
      citedDocs: ["kb-refund-timing"],
    });
    expect(score).toMatchObject({ correct: true, failed: [] });
  });

  it("names each check that fails", () => {
    const score = scoreCase(expectRefunds, {
      text: "Labels expire after 14 days,.",
      tools: [],
      citedDocs: ["kb-returns-policy"],
    });
    expect(score.correct).toBe(false);
    expect(score.failed).toEqual(["tool", "cites", "must", "must_not", "fragment"]);
    expect(score.missing).toEqual(["3 business days", "5-10 | five to ten"]);
    expect(score.forbidden).toEqual(["14 days"]);
  });

  it("expects no tool at all for small talk", () => {
    const expectNone = { tools: ["none" as const], cites: [], must: [["welcome"]], must_not: [] };
    expect(scoreCase(expectNone, { text: "You're welcome!", tools: [], citedDocs: [] }).correct).toBe(true);
    expect(
      scoreCase(expectNone, { text: "You're welcome!", tools: ["search_kb"], citedDocs: [] }).failed,
    ).toEqual(["tool"]);
  });

  it("recognises broken fragments", () => {
    expect(isFragment("and the email address you used for the order,.")).toBe(true);
    expect(isFragment("It usually takes:")).toBe(true);
    expect(isFragment("Returns are free in Germany.")).toBe(false);
  });

  it("tallies correctness per group", () => {
    const ok = { correct: true, failed: [], missing: [], forbidden: [], words: 3 };
    const bad = { ...ok, correct: false };
    const rows = [
      { item: "en", score: ok },
      { item: "en", score: bad },
      { item: "de", score: ok },
    ];
    expect(tallyBy(rows, (x) => x)).toEqual({
      de: { cases: 1, correct: 1, accuracy: 1 },
      en: { cases: 2, correct: 1, accuracy: 0.5 },
    });
  });
});

describe("the golden answer set", () => {
  const cases = parseCases(readFileSync(new URL("./golden/answers.jsonl", import.meta.url), "utf8"));

  it("has at least 150 cases with unique ids, both halves and all four languages", () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const split of ["dev", "test"])
      expect(cases.filter((c) => c.split === split).length).toBeGreaterThan(60);
    for (const lang of ["en", "es", "de", "fr"]) expect(cases.some((c) => c.lang === lang)).toBe(true);
  });

  it("cites only articles of the demo help centre that visitors may see", () => {
    const folder = new URL("../demo/help-centre/", import.meta.url);
    for (const c of cases) {
      for (const id of c.expect.cites) {
        const file = readFileSync(new URL(`${id.replace(/^kb-/, "")}.md`, folder), "utf8");
        expect(file, `${c.id} cites ${id}`).toMatch(/allowed_channels:.*\bweb\b/);
        expect(file, `${c.id} cites ${id}`).toMatch(/reviewed: true/);
      }
    }
  });
});
