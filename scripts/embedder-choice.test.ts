/**
 * The shared --embedder flag: each value gives this process an embedder and the EMBEDDINGS_* settings that make
 * seedDemo and the Worker (both build theirs with embedderFromSettings) embed with the same model.
 */
import { describe, expect, it } from "vitest";
import { isLexicalOnly } from "../core/retrieval/embedder.ts";
import { embedderFromSettings } from "../core/retrieval/embedder-config.ts";
import { parseEmbedderChoice, startEmbeddings } from "./embedder-choice.ts";

describe("parseEmbedderChoice", () => {
  it("takes the four values, the tool's default when absent, and null for anything else", () => {
    for (const value of ["local", "fake", "env", "none"])
      expect(parseEmbedderChoice(value, "env")).toBe(value);
    expect(parseEmbedderChoice(undefined, "local")).toBe("local");
    expect(parseEmbedderChoice("openai", "env")).toBeNull();
    expect(parseEmbedderChoice("", "env")).toBeNull();
  });
});

describe("startEmbeddings", { timeout: 60_000 }, () => {
  it("fake: a server whose vectors this process and the settings' embedder agree on, stopped by close", async () => {
    const embeddings = await startEmbeddings("fake");
    const [mine] = await embeddings.embedder.embed(["how long do refunds take"]);
    const [theirs] = await embedderFromSettings(embeddings.settings).embed(["how long do refunds take"]);
    expect(mine).toHaveLength(384);
    expect(theirs).toEqual(mine);
    await embeddings.close();
    await expect(
      fetch(`${embeddings.settings.EMBEDDINGS_BASE_URL}/models`, { signal: AbortSignal.timeout(2000) }),
    ).rejects.toThrow();
  });

  it("local: the real model at its own width, the same vectors through the settings", async () => {
    const embeddings = await startEmbeddings("local");
    try {
      expect(embeddings.embedder.dimensions).toBe(512);
      expect(embeddings.settings.EMBEDDINGS_DIMENSIONS).toBe("512");
      const [mine] = await embeddings.embedder.embed(["Do you ship to Australia?"]);
      const [theirs] = await embedderFromSettings(embeddings.settings).embed(["Do you ship to Australia?"]);
      expect(mine).toHaveLength(512);
      expect(theirs?.map((v) => Math.round(v * 1e5))).toEqual(mine?.map((v) => Math.round(v * 1e5)));
    } finally {
      await embeddings.close();
    }
  });

  it("none: lexical only here, and its settings override a provider named elsewhere", async () => {
    const embeddings = await startEmbeddings("none");
    expect(isLexicalOnly(embeddings.embedder)).toBe(true);
    const elsewhere = { EMBEDDINGS_BASE_URL: "http://127.0.0.1:9/v1", EMBEDDINGS_MODEL: "some-model" };
    expect(isLexicalOnly(embedderFromSettings({ ...elsewhere, ...embeddings.settings }))).toBe(true);
  });

  it("env: the environment's EMBEDDINGS_* and nothing else", async () => {
    const embeddings = await startEmbeddings("env", {
      EMBEDDINGS_BASE_URL: "http://127.0.0.1:9/v1",
      EMBEDDINGS_MODEL: "shop-model",
      EMBEDDINGS_DIMENSIONS: "768",
      LLM_API_KEY: "not-an-embedding-setting",
    });
    expect(embeddings.settings).toEqual({
      EMBEDDINGS_BASE_URL: "http://127.0.0.1:9/v1",
      EMBEDDINGS_MODEL: "shop-model",
      EMBEDDINGS_DIMENSIONS: "768",
    });
    expect(embeddings.embedder.model).toBe("shop-model");
    expect(embeddings.embedder.dimensions).toBe(768);
    expect(isLexicalOnly((await startEmbeddings("env", {})).embedder)).toBe(true);
  });
});
