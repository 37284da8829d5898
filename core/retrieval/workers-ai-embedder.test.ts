import { describe, expect, it } from "vitest";
import { embedderFromSettings } from "./embedder-config.ts";
import { aiBindingOf, workersAiEmbedder } from "./workers-ai-embedder.ts";

// The AI binding cannot run off Cloudflare; this stand-in answers in the binding's documented output shape.
function binding(width = 384) {
  const calls: { model: string; count: number }[] = [];
  return {
    calls,
    async run(model: string, input: { text: string[] }) {
      calls.push({ model, count: input.text.length });
      return {
        shape: [input.text.length, width],
        data: input.text.map((t) => Array.from({ length: width }, (_, i) => (t.length + i) % 7)),
      };
    },
  };
}

describe("Workers AI embedder", () => {
  it("embeds in batches of 100 and keeps the order", async () => {
    const ai = binding();
    const embedder = workersAiEmbedder(ai, "@cf/baai/bge-small-en-v1.5", 384);
    const texts = Array.from({ length: 250 }, (_, i) => "x".repeat(i));
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(250);
    expect(ai.calls.map((c) => c.count)).toEqual([100, 100, 50]);
    expect(vectors[3]?.[0]).toBe(3);
  });

  it("rejects vectors of the wrong width and malformed output", async () => {
    await expect(workersAiEmbedder(binding(768), "m", 384).embed(["a"])).rejects.toThrow("not 384 wide");
    await expect(
      workersAiEmbedder({ run: async () => ({ nope: 1 }) }, "m", 384).embed(["a"]),
    ).rejects.toThrow();
  });

  it("is chosen by EMBEDDINGS_PROVIDER=workers-ai when the Worker has the binding", () => {
    const ai = aiBindingOf({ AI: binding() });
    expect(ai).toBeDefined();
    expect(embedderFromSettings({ EMBEDDINGS_PROVIDER: "workers-ai" }, ai).model).toBe(
      "@cf/baai/bge-small-en-v1.5",
    );
    expect(() => embedderFromSettings({ EMBEDDINGS_PROVIDER: "workers-ai" })).toThrow("AI binding");
    expect(aiBindingOf({})).toBeUndefined();
  });
});
