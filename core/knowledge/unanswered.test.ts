import { describe, expect, it } from "vitest";
import { groupUnanswered, normaliseQuestion } from "./unanswered.ts";

describe("normaliseQuestion", () => {
  it("folds case, punctuation, spacing and digit runs, and masks PII", () => {
    expect(normaliseQuestion("  Where's order FH-10023??")).toBe("where s order fh #");
    expect(normaliseQuestion("where's order fh-99871")).toBe("where s order fh #");
    expect(normaliseQuestion("Mail me at anna@example.com")).toBe("mail me at [email]");
    expect(normaliseQuestion("?!")).toBe("");
  });
});

describe("groupUnanswered", () => {
  const at = (h: number) => new Date(Date.UTC(2026, 11, 1, h));
  it("counts reasons per group, keeps the newest wording and orders by size then recency", () => {
    const groups = groupUnanswered([
      { text: "Do you ship to Mars?", reason: "no_hit", threadId: "t1", at: at(1) },
      { text: "do you ship to mars", reason: "rated_down", threadId: "t2", at: at(3) },
      { text: "gift wrap?", reason: "not_cited", threadId: "t3", at: at(5) },
      { text: "Do you ship to MARS", reason: "no_hit", threadId: "t1", at: at(2) },
      { text: "...", reason: "no_hit", threadId: "t4", at: at(6) },
    ]);
    expect(groups).toEqual([
      {
        question: "do you ship to mars",
        key: "do you ship to mars",
        count: 3,
        reasons: { no_hit: 2, not_cited: 0, rated_down: 1 },
        lastAt: at(3).toISOString(),
        threadIds: ["t2", "t1"],
      },
      {
        question: "gift wrap?",
        key: "gift wrap",
        count: 1,
        reasons: { no_hit: 0, not_cited: 1, rated_down: 0 },
        lastAt: at(5).toISOString(),
        threadIds: ["t3"],
      },
    ]);
  });
});
