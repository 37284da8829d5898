import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeLlm, startFakeLlm } from "../../test-tools/fake-llm/server.ts";
import type { Brain, BrainInput } from "./brain.ts";
import { BrainError } from "./brain.ts";
import { createOpenAiBrain } from "./openai-brain.ts";
import { toolSpecs } from "./tool-specs.ts";

const shop = { name: "Fernhill Outfitters", supportHours: "Mon-Fri 08:00-18:00 CET" };
let fake: FakeLlm;
let brain: Brain;

const input = (message: string, extra: Partial<BrainInput> = {}): BrainInput => ({
  mode: "plan",
  history: [
    { role: "user", content: "earlier question" },
    { role: "assistant", content: "earlier answer" },
  ],
  message,
  scratch: [],
  tools: toolSpecs(["search_kb", "get_order", "create_ticket", "handoff_human"]),
  toolsAllowed: true,
  loggedIn: false,
  ...extra,
});
const call = (
  extra: { model?: "primary" | "fallback"; timeoutMs?: number; onDelta?: (t: string) => void } = {},
) => ({
  model: extra.model ?? ("primary" as const),
  temperature: 0.2,
  signal: AbortSignal.timeout(extra.timeoutMs ?? 5000),
  ...(extra.onDelta ? { onDelta: extra.onDelta } : {}),
});

beforeAll(async () => {
  fake = await startFakeLlm();
  brain = createOpenAiBrain({
    baseURL: fake.url,
    apiKey: "k-test",
    primaryModel: "m-primary",
    fallbackModel: "m-fallback",
    shop,
  });
});
afterAll(async () => {
  await fake.close();
});

describe("OpenAI-compatible brain", () => {
  it("streams text to onDelta and returns it with the usage", async () => {
    fake.addRule({
      match: "brain-text",
      responses: [
        { text: "Hello there, happy to help.", usage: { prompt_tokens: 50, completion_tokens: 7 } },
      ],
    });
    const deltas: string[] = [];
    const decision = await brain.decide(input("brain-text"), call({ onDelta: (t) => deltas.push(t) }));
    expect(decision).toEqual({
      kind: "reply",
      text: "Hello there, happy to help.",
      usage: { promptTokens: 50, completionTokens: 7 },
    });
    expect(deltas.join("")).toBe("Hello there, happy to help.");
  });

  it("reassembles streamed tool calls and sends strict tool specs, history and the system prompt", async () => {
    fake.addRule({
      match: "brain-tools",
      responses: [
        { tool_calls: [{ id: "call_9", name: "get_order", arguments: { order_id: "FH-1", email: null } }] },
      ],
    });
    const decision = await brain.decide(input("brain-tools"), call());
    expect(decision).toMatchObject({
      kind: "tool_calls",
      calls: [{ id: "call_9", name: "get_order", arguments: '{"order_id":"FH-1","email":null}' }],
    });
    const [sent] = fake.requests({ match: "brain-tools" });
    expect(sent?.model).toBe("m-primary");
    expect(sent?.tool_choice).toBe("auto");
    expect(sent?.messages.map((m) => (m as { role: string }).role)).toEqual([
      "system",
      "user",
      "assistant",
      "user",
    ]);
    const body = sent?.body as {
      tools: { function: { strict: boolean; parameters: Record<string, unknown> } }[];
    };
    const tool = body.tools[0];
    expect(tool?.function.strict).toBe(true);
    expect(tool?.function.parameters).toMatchObject({
      type: "object",
      additionalProperties: false,
      required: ["query", "top_k"],
    });
    expect(JSON.stringify(tool?.function.parameters)).not.toMatch(/minLength|maxLength|\$schema/);
  });

  it("lays out earlier tool calls and results as the API expects", async () => {
    fake.addRule({ match: "brain-scratch", responses: [{ text: "Done." }] });
    await brain.decide(
      input("brain-scratch", {
        mode: "draft",
        toolsAllowed: false,
        scratch: [
          { kind: "call", id: "a", name: "search_kb", arguments: "{}" },
          { kind: "call", id: "b", name: "get_order", arguments: "{}" },
          { kind: "result", id: "a", name: "search_kb", content: '{"results":[]}' },
          { kind: "result", id: "b", name: "get_order", content: '{"found":false}' },
        ],
        instructions: "Cite your sources.",
      }),
      call(),
    );
    const [sent] = fake.requests({ match: "brain-scratch" });
    expect(sent?.messages.map((m) => (m as { role: string }).role)).toEqual([
      "system",
      "user",
      "assistant",
      "user",
      "assistant",
      "tool",
      "tool",
      "system",
    ]);
    expect(sent?.tool_choice).toBe("none");
  });

  it("uses the fallback model's name and classifies failures", async () => {
    fake.addRule({ match: "brain-fallback", model: "m-fallback", responses: [{ text: "from fallback" }] });
    expect(await brain.decide(input("brain-fallback"), call({ model: "fallback" }))).toMatchObject({
      text: "from fallback",
    });

    fake.addRule({ match: "brain-500", responses: [{ error: { status: 500 } }] });
    await expect(brain.decide(input("brain-500"), call())).rejects.toMatchObject({ failure: "error" });

    fake.addRule({ match: "brain-hang", responses: [{ hang: true }] });
    await expect(brain.decide(input("brain-hang"), call({ timeoutMs: 200 }))).rejects.toMatchObject({
      failure: "timeout",
    });

    fake.addRule({ match: "brain-garbage", responses: [{ malformed: "stream" }] });
    const garbage = brain.decide(input("brain-garbage"), call());
    await expect(garbage).rejects.toBeInstanceOf(BrainError);
    await expect(garbage).rejects.toMatchObject({ failure: "malformed" });
  });
});
