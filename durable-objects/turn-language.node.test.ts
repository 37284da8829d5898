// The visitor's language as the runner decides it: detected once per turn and handed to the Brain, so the
// offline brain answers in the language the machine's own sentences use.
import { describe, expect, it } from "vitest";
import type { Brain, BrainInput } from "../core/brain/brain.ts";
import { quietPorts, turnHarness } from "./turn-harness.ts";

const ports = () => quietPorts();

describe("the turn's language", () => {
  it("is detected once and given to the Brain with every call", async () => {
    const seen: BrainInput[] = [];
    const brain = (): Brain => ({
      kind: "llm",
      hasFallback: false,
      modelName: (m) => `fake-${m}`,
      async decide(input) {
        seen.push(input);
        return { kind: "reply", text: "Gern.", usage: { promptTokens: 1, completionTokens: 1 } };
      },
    });
    await turnHarness({ ports, brain }).turn("Wie lange dauert eine Erstattung?");
    expect(seen.map((input) => input.language)).toEqual(["de"]);
  });
});
