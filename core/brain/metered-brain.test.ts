import { describe, expect, it } from "vitest";
import type { Brain, BrainCall, BrainInput } from "./brain.ts";
import { meteredBrain } from "./metered-brain.ts";

describe("meteredBrain", () => {
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
    const input: BrainInput = {
      mode: "plan",
      history: [],
      message: "hi",
      scratch: [],
      tools: [],
      toolsAllowed: true,
      loggedIn: false,
    };
    const call: BrainCall = { model: "primary", temperature: 0.2, signal: AbortSignal.timeout(1000) };
    await brain.decide(input, call);
    await brain.decide(input, call);
    await expect(brain.decide(input, call)).rejects.toThrow("timeout");
    expect(metered).toEqual({ calls: 3, usage: { promptTokens: 300, completionTokens: 3 } });
  });
});
