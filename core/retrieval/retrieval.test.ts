import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddingResponseBody } from "../../test-tools/fake-llm/embeddings.ts";
import { type FakeLlm, startFakeLlm } from "../../test-tools/fake-llm/server.ts";
import { noEmbedder } from "./embedder.ts";
import { embedderFromSettings } from "./embedder-config.ts";
import { openAiEmbedder } from "./openai-embedder.ts";
import { expandQuery } from "./query-expansion.ts";
import { type RerankCandidate, termOverlapReranker } from "./reranker.ts";

let fake: FakeLlm;
beforeAll(async () => {
  fake = await startFakeLlm({ latencyMs: 0 });
});
afterAll(async () => {
  await fake.close();
});

describe("openAiEmbedder", () => {
  it("batches inputs, keeps their order and checks the width", async () => {
    const model = "fake-embedding-batches";
    const embedder = openAiEmbedder({ baseURL: fake.url, apiKey: "k", model, dimensions: 384, batchSize: 4 });
    const texts = Array.from({ length: 10 }, (_, i) => `text number ${i}`);
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(10);
    expect(vectors.every((v) => v.length === 384)).toBe(true);
    expect(fake.stats({ model })).toMatchObject({ embeddingCalls: 3, embeddingInputs: 10 });
    const [again] = await embedder.embed(["text number 7"]);
    expect(again).toEqual(vectors[7]);

    const wrongWidth = openAiEmbedder({
      baseURL: fake.url,
      apiKey: "k",
      model,
      dimensions: 384,
      sendDimensions: false,
    });
    await expect(wrongWidth.embed(["x"])).resolves.toHaveLength(1);
    const narrow = openAiEmbedder({ baseURL: fake.url, apiKey: "k", model, dimensions: 8 });
    await expect(narrow.embed(["x"])).resolves.toEqual([expect.any(Array)]);
  });

  it("retries transient failures with backoff and gives up on client errors", async () => {
    let requests = 0;
    let failFirst = 2;
    let status = 503;
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        requests++;
        if (failFirst > 0) {
          failFirst--;
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { message: "busy", type: "server_error" } }));
          return;
        }
        const request = JSON.parse(body);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(embeddingResponseBody(request, [].concat(request.input))));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    try {
      const embedder = openAiEmbedder({
        baseURL: url,
        apiKey: "k",
        model: "m",
        dimensions: 384,
        backoffMs: 5,
      });
      await expect(embedder.embed(["hello"])).resolves.toHaveLength(1);
      expect(requests).toBe(3);

      requests = 0;
      failFirst = 1;
      status = 400;
      await expect(embedder.embed(["hello"])).rejects.toThrow();
      expect(requests).toBe(1);
    } finally {
      server.close();
    }
  });
});

describe("embedderFromSettings", () => {
  it("is lexical only without settings and refuses half a configuration", () => {
    expect(embedderFromSettings({})).toBe(noEmbedder);
    expect(() => embedderFromSettings({ EMBEDDINGS_MODEL: "m" })).toThrow(/both/);
    const embedder = embedderFromSettings({ EMBEDDINGS_BASE_URL: fake.url, EMBEDDINGS_MODEL: "m" });
    expect(embedder).toMatchObject({ model: "m", dimensions: 384 });
  });
});

describe("expandQuery", () => {
  it("adds the other members of each thesaurus group the question mentions", () => {
    const expansion = expandQuery("where is my reimbursement?").split(" ");
    expect(expansion).toContain("refund");
    expect(expansion).not.toContain("reimbursement");
    expect(expandQuery("how do I get in touch")).toContain("contact");
    expect(expandQuery("refunds")).not.toMatch(/\brefund\b/);
    expect(expandQuery("boots")).toBe("");
  });
});

describe("termOverlapReranker", () => {
  const candidate = (id: string, title: string, fused: number): RerankCandidate => ({
    id,
    title,
    section: "",
    body: "",
    fused,
  });

  it("keeps the fused order at the top and lifts a lower candidate that covers the question", async () => {
    const reranker = termOverlapReranker();
    const list = [
      candidate("a", "Shipping costs", 0.033),
      candidate("b", "Payment methods", 0.032),
      candidate("c", "Return a parcel", 0.031),
      candidate("d", "Sizes", 0.03),
    ];
    const ranked = await reranker.rerank("how do I return a parcel", list, 3);
    expect(ranked.map((r) => r.id)).toEqual(["a", "c", "b"]);
    expect((await reranker.rerank("payment", list.slice(0, 1), 3)).map((r) => r.id)).toEqual(["a"]);
  });
});
