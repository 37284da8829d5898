// Spend and loop caps as the runner applies them: the model-call cap and the daily token budgets (per thread,
// per site) are checked before every model call; past them the offline brain drafts and the reply says so.
import { describe, expect, it } from "vitest";
import type { Brain, BrainInput, Decision } from "../core/brain/brain.ts";
import type { HandPorts } from "../core/hands/ports.ts";
import { replies } from "../core/orchestrator/replies.ts";
import { quietPorts, turnHarness } from "./turn-harness.ts";

const usage = { promptTokens: 300, completionTokens: 100 };

/** A model that obeys "keep searching": every call asks for another search, and counts its calls. */
function looping() {
  const seen: BrainInput[] = [];
  const brain = (): Brain => ({
    kind: "llm",
    hasFallback: true,
    modelName: (m) => `fake-${m}`,
    async decide(input): Promise<Decision> {
      seen.push(input);
      return {
        kind: "tool_calls",
        usage,
        calls: [
          {
            id: `c${seen.length}`,
            name: "search_kb",
            arguments: JSON.stringify({ query: "refunds", top_k: 3 }),
          },
        ],
      };
    },
  });
  return { brain, seen };
}
const ports = (): HandPorts =>
  quietPorts({
    kb: {
      search: async () => [
        {
          chunkId: "c1",
          docId: "refund-timing",
          language: "en",
          title: "Refund timing",
          section: "Timing",
          url: "https://help.fernhill.example/articles/refund-timing",
          snippet: "Refunds reach your account within 5-10 business days.",
          score: 1,
        },
      ],
    },
  });

describe("spend and loop caps", () => {
  it("asks a model that loops on tools at most the tool budget's worth, then drafts offline", async () => {
    const model = looping();
    const agent = turnHarness({ ports, brain: model.brain });
    const result = await agent.turn("How long do refunds take?");
    // Plan + 3 tool rounds; the 4th request for a tool ends the loop and the offline brain drafts.
    expect(model.seen).toHaveLength(4);
    expect(result.reply.outcome).toMatch(/limited_tool_calls/);
    expect(agent.queued).toEqual([]);
  });

  it("stops asking the model once the thread's daily tokens are spent, in this turn and the next", async () => {
    const model = looping();
    const agent = turnHarness({ ports, brain: model.brain, settings: { THREAD_DAILY_TOKENS: "1000" } });
    const first = await agent.turn("How long do refunds take?", { threadId: "t1" });
    // 400 tokens a call: after three calls (1,200) the fourth is refused before it is made.
    expect(model.seen).toHaveLength(3);
    expect(first.reply.text.startsWith(replies.limitedMode)).toBe(true);
    expect(first.reply.outcome).toBe("answered:limited_budget");
    expect(agent.spend.get("t1")?.tokens).toBe(1200);
    expect(agent.logs.filter((e) => e.event === "budget.exceeded").map((e) => e.fields.scope)).toEqual([
      "thread",
    ]);

    const second = await agent.turn("And for card payments?", { threadId: "t1" });
    expect(model.seen).toHaveLength(3);
    expect(second.reply.text.startsWith(replies.limitedMode)).toBe(true);
    // Another conversation still gets the model.
    await agent.turn("How long do refunds take?", { threadId: "t2" });
    expect(model.seen.length).toBeGreaterThan(3);
  });

  it("stops every thread once the site's daily budget is spent", async () => {
    const model = looping();
    const agent = turnHarness({ ports, brain: model.brain, settings: { SITE_DAILY_TOKENS: "2000" } });
    for (let i = 0; i < 4; i++) await agent.turn("How long do refunds take?", { threadId: `t${i}` });
    expect(agent.siteSpend.tokens).toBe(2000);
    const calls = model.seen.length;
    const late = await agent.turn("Hello?", { threadId: "fresh" });
    expect(model.seen).toHaveLength(calls);
    expect(late.reply.outcome).toMatch(/limited_budget/);
    expect(agent.logs.some((e) => e.event === "budget.exceeded" && e.fields.scope === "site")).toBe(true);
  });

  it("counts cost from the LLM_COST_* prices against a site cost cap", async () => {
    const model = looping();
    const agent = turnHarness({
      ports,
      brain: model.brain,
      // 300 in at 10/MTok + 100 out at 30/MTok = 0.006 a call; the cap allows two calls.
      settings: { LLM_COST_INPUT_PER_MTOK: "10", LLM_COST_OUTPUT_PER_MTOK: "30", SITE_DAILY_COST: "0.012" },
    });
    await agent.turn("How long do refunds take?");
    expect(model.seen).toHaveLength(2);
  });
});
