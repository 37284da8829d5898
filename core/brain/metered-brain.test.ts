import { describe, expect, it } from "vitest";
import { TurnBudget } from "../orchestrator/budget.ts";
import type { Brain, BrainCall, BrainInput } from "./brain.ts";
import { meteredBrain } from "./metered-brain.ts";

describe("meteredBrain", () => {
  const input: BrainInput = {
    mode: "plan",
    history: [],
    message: "hi",
    scratch: [],
    tools: [],
    toolsAllowed: true,
    loggedIn: false,
  };
  const call: BrainCall = { model: "primary", temperature: 0.2, signal: AbortSignal.timeout(10_000) };

  it("counts every call and adds up the usage of those answered", async () => {
    let n = 0;
    const inner: Brain = {
      kind: "llm",
      hasFallback: false,
      modelName: () => "m",
      async decide() {
        n += 1;
        if (n === 3) throw new Error("timeout");
        return { kind: "reply", text: "ok", usage: { promptTokens: 100 * n, completionTokens: n } };
      },
    };
    const { brain, metered } = meteredBrain(inner);
    await brain.decide(input, call);
    await brain.decide(input, call);
    await expect(brain.decide(input, call)).rejects.toThrow("timeout");
    expect(metered).toEqual({ calls: 3, usage: { promptTokens: 300, completionTokens: 3 } });
  });

  it("with a budget, makes no call once the site's cap is reached and says which code ended the run", async () => {
    let made = 0;
    const inner: Brain = {
      kind: "llm",
      hasFallback: false,
      modelName: () => "m",
      async decide() {
        made += 1;
        return { kind: "reply", text: "ok", usage: { promptTokens: 400, completionTokens: 100 } };
      },
    };
    // 1,200 tokens were spent today before the run; the cap is 2,000: the first call (500) fits, the second
    // (to 2,200) is made because the cap is checked before it, the third is refused.
    const budget = new TurnBudget(
      { threadDailyTokens: 0, siteDailyTokens: 2000, siteDailyCost: 0 },
      { input: 1, output: 1 },
      { thread: { tokens: 0, cost: 0 }, site: { tokens: 1200, cost: 0 } },
    );
    const { brain, metered } = meteredBrain(inner, budget);
    await brain.decide(input, call);
    await brain.decide(input, call);
    await expect(brain.decide(input, call)).rejects.toMatchObject({ code: "unavailable:budget" });
    expect(made).toBe(2);
    expect(metered.calls).toBe(2);
  });
});
