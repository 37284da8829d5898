// Proves the fake LLM speaks the wire format the real `openai` SDK (7.57.0) expects, so every other test,
// benchmark and eval can trust it. All traffic goes through the real client over real HTTP.

import OpenAI, {
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  BadRequestError,
  InternalServerError,
  RateLimitError,
} from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_REPLY, embedText, type FakeLlm, startFakeLlm } from "./server.ts";

let fake: FakeLlm;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeLlm();
  // Retries off by default so each request consumes exactly one step; the retry test opts back in.
  client = new OpenAI({ baseURL: fake.url, apiKey: "test-key", maxRetries: 0 });
});

afterAll(async () => {
  await fake.close();
});

const user = (content: string) => [{ role: "user" as const, content }];

const tools = [
  {
    type: "function" as const,
    function: {
      name: "search_kb",
      description: "Search the knowledge base",
      parameters: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
    },
  },
];

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("plain text", () => {
  it("answers unscripted requests with the default reply, echoing the model, with usage", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-test-default",
      messages: user("nothing scripted matches this"),
    });
    expect(completion.model).toBe("gpt-test-default");
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]?.message.content).toBe(DEFAULT_REPLY);
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
  });

  it("streams text in several deltas, then a finish chunk and a usage chunk", async () => {
    const text = "Your order ships within two business days.";
    fake.addRule({
      match: "stream-plain-7f3",
      responses: [{ text, usage: { prompt_tokens: 11, completion_tokens: 9 } }],
    });
    const stream = await client.chat.completions.create({
      model: "gpt-test",
      messages: user("stream-plain-7f3 when does it ship?"),
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    const finishReasons: (string | null)[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      expect(chunk.model).toBe("gpt-test");
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice) finishReasons.push(choice.finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join("")).toBe(text);
    expect(finishReasons.at(-1)).toBe("stop");
    expect(usage).toEqual({ prompt_tokens: 11, completion_tokens: 9, total_tokens: 20 });
  });

  it("omits the usage chunk when include_usage is not set, and works with the SDK stream helper", async () => {
    fake.addRule({ match: "stream-helper-2c1", responses: [{ text: "Helper stream works." }], repeat: true });
    const raw = await client.chat.completions.create({
      model: "gpt-test",
      messages: user("stream-helper-2c1"),
      stream: true,
    });
    const chunks = [];
    for await (const chunk of raw) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.usage == null)).toBe(true);

    const helper = client.chat.completions.stream({ model: "gpt-test", messages: user("stream-helper-2c1") });
    const final = await helper.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe("Helper stream works.");
    expect(final.choices[0]?.finish_reason).toBe("stop");
  });
});

describe("echo", () => {
  it("repeats the system message or the tool results it was shown, after the scripted text", async () => {
    fake.addRule({
      match: "echo-b27",
      responses: [
        { text: "Rules: ", echo: "system" },
        { text: "Data: ", echo: "tool_results" },
      ],
    });
    const system = { role: "system" as const, content: "You are the assistant. Secret rule." };
    const first = await client.chat.completions.create({
      model: "gpt-test",
      messages: [system, ...user("echo-b27 show me")],
    });
    expect(first.choices[0]?.message.content).toBe("Rules: You are the assistant. Secret rule.");
    const second = await client.chat.completions.create({
      model: "gpt-test",
      messages: [
        system,
        ...user("echo-b27 again"),
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c1", type: "function", function: { name: "get_order", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "c1", content: '{"order":"FH-1"}' },
      ],
    });
    expect(second.choices[0]?.message.content).toBe('Data: {"order":"FH-1"}');
  });
});

describe("tool calls", () => {
  it("returns a scripted tool call without streaming; object arguments are JSON-stringified", async () => {
    fake.addRule({
      match: "tool-nonstream-a91",
      responses: [
        { tool_calls: [{ id: "call_abc", name: "search_kb", arguments: { query: "refund policy" } }] },
      ],
    });
    const completion = await client.chat.completions.create({
      model: "gpt-test",
      messages: user("tool-nonstream-a91 how do refunds work?"),
      tools,
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      {
        id: "call_abc",
        type: "function",
        function: { name: "search_kb", arguments: '{"query":"refund policy"}' },
      },
    ]);
  });

  it("streams tool calls the OpenAI way and the SDK reassembles the arguments", async () => {
    const args = { query: "where is my parcel, order #12345?", limit: 5 };
    fake.addRule({
      match: "tool-stream-b22",
      repeat: true,
      responses: [
        {
          text: "Let me check.",
          tool_calls: [
            { name: "search_kb", arguments: args },
            { id: "call_second", name: "lookup_order", arguments: { order: "12345" } },
          ],
        },
      ],
    });

    // Raw chunks: the head delta carries index, id, type and name; later deltas carry argument fragments only.
    const stream = await client.chat.completions.create({
      model: "gpt-test",
      messages: user("tool-stream-b22"),
      tools,
      stream: true,
    });
    const deltas: OpenAI.Chat.ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
    for await (const chunk of stream) deltas.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
    const first = deltas.filter((delta) => delta.index === 0);
    expect(first[0]?.id).toMatch(/^call_/);
    expect(first[0]?.function?.name).toBe("search_kb");
    expect(first.length).toBeGreaterThan(2);
    expect(
      first.slice(1).every((delta) => delta.id === undefined && delta.function?.name === undefined),
    ).toBe(true);
    expect(first.map((delta) => delta.function?.arguments ?? "").join("")).toBe(JSON.stringify(args));

    // Through the SDK's own accumulator.
    const final = await client.chat.completions
      .stream({ model: "gpt-test", messages: user("tool-stream-b22"), tools })
      .finalChatCompletion();
    const message = final.choices[0]?.message;
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    expect(message?.content).toBe("Let me check.");
    const calls = (message?.tool_calls ?? []).map((call) =>
      call.type === "function"
        ? { id: call.id, name: call.function.name, args: call.function.arguments }
        : null,
    );
    expect(calls).toHaveLength(2);
    expect(calls[0]?.name).toBe("search_kb");
    expect(JSON.parse(calls[0]?.args ?? "")).toEqual(args);
    expect(calls[1]).toEqual({ id: "call_second", name: "lookup_order", args: '{"order":"12345"}' });
  });

  it("sends string arguments verbatim, even when they are malformed JSON", async () => {
    const broken = '{"query": "refund", "limit": 3,,';
    fake.addRule({
      match: "tool-malformed-c03",
      repeat: true,
      responses: [{ tool_calls: [{ name: "search_kb", arguments: broken }] }],
    });
    const completion = await client.chat.completions.create({
      model: "gpt-test",
      messages: user("tool-malformed-c03"),
      tools,
    });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === "function" ? call.function.arguments : undefined).toBe(broken);

    const stream = await client.chat.completions.create({
      model: "gpt-test",
      messages: user("tool-malformed-c03"),
      tools,
      stream: true,
    });
    let streamed = "";
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? [])
        streamed += delta.function?.arguments ?? "";
    }
    expect(streamed).toBe(broken);
  });
});

describe("rules", () => {
  it("consumes steps in order, then stops applying (default reply) unless repeat is set", async () => {
    fake.addRule({
      match: "order-d14",
      responses: [{ tool_calls: [{ name: "search_kb", arguments: { query: "x" } }] }, { text: "second" }],
    });
    const ask = async () =>
      (await client.chat.completions.create({ model: "gpt-test", messages: user("order-d14"), tools }))
        .choices[0]?.message;
    expect((await ask())?.tool_calls?.[0]).toBeDefined();
    expect((await ask())?.content).toBe("second");
    expect((await ask())?.content).toBe(DEFAULT_REPLY);

    fake.addRule({ match: "repeat-e55", repeat: true, responses: [{ text: "one" }, { text: "again" }] });
    const texts = [];
    for (let i = 0; i < 4; i++) {
      const completion = await client.chat.completions.create({
        model: "gpt-test",
        messages: user("repeat-e55"),
      });
      texts.push(completion.choices[0]?.message.content);
    }
    expect(texts).toEqual(["one", "again", "again", "again"]);
  });

  it("prefers the most recently added matching rule, and a removed rule stops applying", async () => {
    fake.addRule({ match: "newest-f66", repeat: true, responses: [{ text: "older" }] });
    const newer = fake.addRule({ match: "newest-f66", repeat: true, responses: [{ text: "newer" }] });
    const ask = async () =>
      (await client.chat.completions.create({ model: "gpt-test", messages: user("newest-f66") })).choices[0]
        ?.message.content;
    expect(await ask()).toBe("newer");
    expect(newer.hits()).toBe(1);
    newer.remove();
    expect(await ask()).toBe("older");
  });

  it("matches on the model: the primary errors with 500 while the fallback model answers", async () => {
    fake.addRule({
      model: "primary-g77",
      repeat: true,
      responses: [{ error: { status: 500, message: "upstream down" } }],
    });
    fake.addRule({ model: "fallback-g77", repeat: true, responses: [{ text: "fallback answer" }] });

    const primary = client.chat.completions.create({ model: "primary-g77", messages: user("help") });
    await expect(primary).rejects.toBeInstanceOf(InternalServerError);
    await expect(primary).rejects.toMatchObject({ status: 500, type: "server_error" });

    const fallback = await client.chat.completions.create({ model: "fallback-g77", messages: user("help") });
    expect(fallback.choices[0]?.message.content).toBe("fallback answer");
    expect(fallback.model).toBe("fallback-g77");
  });

  it("surfaces scripted errors as the SDK's APIError subclasses with status, type and code", async () => {
    fake.addRule({
      match: "errors-h88",
      responses: [
        { error: { status: 429, message: "slow down" } },
        { error: { status: 400, message: "bad things", code: "context_length_exceeded" } },
        { error: { status: 503 } },
      ],
    });
    const ask = () => client.chat.completions.create({ model: "gpt-test", messages: user("errors-h88") });
    const rate = await ask().catch((error: unknown) => error);
    expect(rate).toBeInstanceOf(RateLimitError);
    expect(rate).toMatchObject({ status: 429, code: "rate_limit_exceeded", message: "429 slow down" });
    const bad = await ask().catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect(bad).toMatchObject({
      status: 400,
      code: "context_length_exceeded",
      type: "invalid_request_error",
    });
    const unavailable = await ask().catch((error: unknown) => error);
    expect(unavailable).toBeInstanceOf(APIError);
    expect((unavailable as APIError).status).toBe(503);
  });

  it("lets the SDK's automatic retry consume the next step (retry-after-ms keeps it fast)", async () => {
    const retrying = new OpenAI({ baseURL: fake.url, apiKey: "test-key", maxRetries: 2 });
    fake.addRule({
      match: "retry-i99",
      responses: [{ error: { status: 500, retryAfterMs: 0 } }, { text: "recovered" }],
    });
    const completion = await retrying.chat.completions.create({
      model: "gpt-test",
      messages: user("retry-i99"),
    });
    expect(completion.choices[0]?.message.content).toBe("recovered");
    expect(fake.requests({ match: "retry-i99" }).map((request) => request.retryCount)).toEqual([0, 1]);

    // x-should-retry: false makes even a 500 final.
    fake.addRule({ match: "noretry-i99", responses: [{ error: { status: 500, shouldRetry: false } }] });
    await expect(
      retrying.chat.completions.create({ model: "gpt-test", messages: user("noretry-i99") }),
    ).rejects.toMatchObject({ status: 500 });
    expect(fake.requests({ match: "noretry-i99" })).toHaveLength(1);
  });

  it("keeps concurrent conversations apart: parallel requests get their own rule's steps in order", async () => {
    fake.addRule({ match: "alpha-j10", responses: [{ text: "alpha 1", delayMs: 30 }, { text: "alpha 2" }] });
    fake.addRule({ match: "beta-j10", responses: [{ text: "beta 1" }, { text: "beta 2", delayMs: 10 }] });
    const ask = async (message: string) =>
      (await client.chat.completions.create({ model: "gpt-test", messages: user(message) })).choices[0]
        ?.message.content;
    const [a1, b1] = await Promise.all([ask("alpha-j10 first"), ask("beta-j10 first")]);
    const [b2, a2] = await Promise.all([ask("beta-j10 second"), ask("alpha-j10 second")]);
    expect([a1, a2, b1, b2]).toEqual(["alpha 1", "alpha 2", "beta 1", "beta 2"]);
  });

  it("rejects invalid rules with a readable error", async () => {
    expect(() => fake.addRule({ match: "x", responses: [] })).toThrow(/invalid fake-llm rule/);
    expect(() => fake.addRule({ responses: [{ txt: "typo" } as never] })).toThrow(/txt/);
  });
});

describe("failure modes", () => {
  it("hang: the client's timeout fires and the server releases the request", async () => {
    fake.addRule({ match: "hang-k11", repeat: true, responses: [{ hang: true }] });
    const impatient = new OpenAI({ baseURL: fake.url, apiKey: "test-key", maxRetries: 0, timeout: 150 });
    await expect(
      impatient.chat.completions.create({ model: "gpt-test", messages: user("hang-k11") }),
    ).rejects.toBeInstanceOf(APIConnectionTimeoutError);

    const controller = new AbortController();
    const pending = client.chat.completions.create(
      { model: "gpt-test", messages: user("hang-k11") },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);

    // A bare hang sends nothing at all when streaming either: not even headers.
    await expect(
      impatient.chat.completions.create({ model: "gpt-test", messages: user("hang-k11"), stream: true }),
    ).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    await until(() => fake.stats().inFlight === 0);
  });

  it("hang while streaming: deltas arrive, then the stream stalls until the client gives up", async () => {
    fake.addRule({ match: "hang-stream-k12", responses: [{ text: "partial answer here", hang: true }] });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: "gpt-test", messages: user("hang-stream-k12"), stream: true },
      { signal: controller.signal },
    );
    let text = "";
    const timer = setTimeout(() => controller.abort(), 150);
    try {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    } catch (error) {
      expect(error).toBeInstanceOf(APIUserAbortError);
    } finally {
      clearTimeout(timer);
    }
    expect(text).toBe("partial answer here");
    await until(() => fake.stats().inFlight === 0);
  });

  it("survives a client that disconnects mid-stream", async () => {
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
    fake.addRule({ match: "disconnect-l12", responses: [{ text: long, chunkDelayMs: 5 }] });
    const stream = await client.chat.completions.create({
      model: "gpt-test",
      messages: user("disconnect-l12"),
      stream: true,
    });
    let seen = 0;
    for await (const _chunk of stream) {
      if (++seen === 3) break; // breaking aborts the underlying request
    }
    await until(() => fake.stats().inFlight === 0);
    const after = await client.chat.completions.create({ model: "gpt-test", messages: user("still alive?") });
    expect(after.choices[0]?.message.content).toBe(DEFAULT_REPLY);
  });

  it("malformed body and malformed stream surface as parse errors in the client", async () => {
    // The SDK logs the unparsable chunk at "error" level; that is the expected outcome here, not noise to show.
    const quiet = new OpenAI({ baseURL: fake.url, apiKey: "test-key", maxRetries: 0, logLevel: "off" });
    fake.addRule({
      match: "malformed-m13",
      responses: [{ malformed: "body" }, { text: "a b c d", malformed: "stream" }],
    });
    await expect(
      quiet.chat.completions.create({ model: "gpt-test", messages: user("malformed-m13") }),
    ).rejects.toBeInstanceOf(SyntaxError);

    const stream = await quiet.chat.completions.create({
      model: "gpt-test",
      messages: user("malformed-m13"),
      stream: true,
    });
    const received: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? "");
      })(),
    ).rejects.toBeInstanceOf(SyntaxError);
    expect(received.length).toBeGreaterThan(0);
  });

  it("answers bad JSON, schema violations and bad tool sequences with 400 in OpenAI's error shape", async () => {
    const raw = await fetch(`${fake.url}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer test-key", "content-type": "application/json" },
      body: '{"model": "gpt-test", "messages": [',
    });
    expect(raw.status).toBe(400);
    const body = (await raw.json()) as { error: { message: string; type: string; code: unknown } };
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toMatch(/could not parse the JSON body/);

    await expect(
      client.chat.completions.create({
        model: "gpt-test",
        messages: [{ role: "robot" as "user", content: "hi" }],
      }),
    ).rejects.toBeInstanceOf(BadRequestError);

    // A tool call without its tool result: api.openai.com rejects this, so the fake does too.
    const unanswered = client.chat.completions.create({
      model: "gpt-test",
      messages: [
        { role: "user", content: "hi" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", type: "function", function: { name: "search_kb", arguments: "{}" } }],
        },
        { role: "user", content: "and?" },
      ],
    });
    await expect(unanswered).rejects.toMatchObject({ status: 400, param: "messages" });
    await expect(unanswered).rejects.toThrow(/call_1/);

    const noKey = await fetch(`${fake.url}/models`);
    expect(noKey.status).toBe(401);
  });
});

describe("recording and HTTP control", () => {
  it("records what the client sent: model, temperature, tool names, tool_choice, stream and messages", async () => {
    const messages = [
      { role: "system" as const, content: "You are a support agent." },
      { role: "user" as const, content: "record-n14 where is my order?" },
      {
        role: "assistant" as const,
        content: null,
        tool_calls: [
          { id: "call_r", type: "function" as const, function: { name: "search_kb", arguments: "{}" } },
        ],
      },
      { role: "tool" as const, tool_call_id: "call_r", content: "Order ships Monday." },
    ];
    await client.chat.completions.create({
      model: "gpt-record",
      messages,
      tools,
      tool_choice: "auto",
      temperature: 0.3,
    });
    const [recorded] = fake.requests({ match: "record-n14" });
    expect(recorded).toMatchObject({
      model: "gpt-record",
      temperature: 0.3,
      tools: ["search_kb"],
      tool_choice: "auto",
      stream: false,
      messages,
      retryCount: 0,
      ruleId: null,
    });
  });

  it("scripts and inspects over HTTP for non-Node callers", async () => {
    const post = await fetch(fake.url.replace(/\/v1$/, "/_fake/rules"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ match: "http-o15", responses: [{ text: "scripted over http" }] }),
    });
    expect(post.status).toBe(201);
    const { id } = (await post.json()) as { id: string };

    const completion = await client.chat.completions.create({
      model: "gpt-http",
      messages: user("http-o15"),
    });
    expect(completion.choices[0]?.message.content).toBe("scripted over http");

    const base = fake.url.replace(/\/v1$/, "");
    const listed = (await (await fetch(`${base}/_fake/requests?match=http-o15`)).json()) as {
      data: { model: string; ruleId: string }[];
    };
    expect(listed.data).toEqual([expect.objectContaining({ model: "gpt-http", ruleId: id })]);

    const bad = await fetch(`${base}/_fake/rules`, { method: "POST", body: '{"responses": "nope"}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/responses/);

    expect((await fetch(`${base}/_fake/rules/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await fetch(`${base}/_fake/rules/${id}`, { method: "DELETE" })).status).toBe(404);
    const stats = (await (await fetch(`${base}/_fake/stats?model=gpt-http`)).json()) as {
      chatCompletions: number;
    };
    expect(stats.chatCompletions).toBe(1);
  });

  it("lists models through the SDK", async () => {
    fake.addRule({ model: "listed-p16", responses: [{ text: "x" }] });
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain("listed-p16");
  });

  it("adds the configured latency before responding", async () => {
    const slow = await startFakeLlm({ latencyMs: 120 });
    try {
      const slowClient = new OpenAI({ baseURL: slow.url, apiKey: "test-key", maxRetries: 0 });
      slow.addRule({ match: "latency-q17", responses: [{ text: "late", delayMs: 80 }] });
      const started = performance.now();
      await slowClient.chat.completions.create({ model: "gpt-test", messages: user("quick") });
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
      const startedScripted = performance.now();
      await slowClient.chat.completions.create({ model: "gpt-test", messages: user("latency-q17") });
      expect(performance.now() - startedScripted).toBeGreaterThanOrEqual(190);
    } finally {
      await slow.close();
    }
  });
});

describe("embeddings", () => {
  it("decodes the SDK's default base64 request into unit vectors of the default 384 dimensions", async () => {
    const response = await client.embeddings.create({
      model: "emb-r18",
      input: "How do I reset my password?",
    });
    const vector = response.data[0]?.embedding ?? [];
    expect(vector).toHaveLength(384);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    expect(response.model).toBe("emb-r18");
    expect(response.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it("is deterministic, identical across float and base64, and honours dimensions", async () => {
    const input = ["Refund policy for damaged items", "Shipping times to Canada"];
    const viaBase64 = await client.embeddings.create({ model: "emb-s19", input });
    const viaFloat = await client.embeddings.create({ model: "emb-s19", input, encoding_format: "float" });
    expect(viaFloat.data.map((item) => item.embedding)).toEqual(viaBase64.data.map((item) => item.embedding));
    expect(viaFloat.data.map((item) => item.index)).toEqual([0, 1]);
    expect(viaFloat.data[0]?.embedding).toEqual(Array.from(embedText(input[0] ?? "")));

    const small = await client.embeddings.create({ model: "emb-s19", input: input[0] ?? "", dimensions: 64 });
    expect(small.data[0]?.embedding).toHaveLength(64);
  });

  it("gives texts sharing words high similarity and unrelated texts low similarity", async () => {
    const pairs = [
      ["What is your refund policy for damaged items?", "How do I get a refund for a damaged item?"],
      ["I forgot my password", "How do I reset my password?"],
      ["Shipping times to Canada", "How long does shipping to Canada take?"],
    ];
    const { data } = await client.embeddings.create({ model: "emb-t20", input: pairs.flat() });
    const vectors = data.map((item) => item.embedding);
    for (let i = 0; i < vectors.length; i++) {
      const partner = i % 2 === 0 ? i + 1 : i - 1;
      const others = vectors.map((v, j) => (j === i ? -1 : cosine(vectors[i] ?? [], v)));
      // Retrieval works: each text's nearest neighbour is the one it shares words with.
      expect(others.indexOf(Math.max(...others))).toBe(partner);
      expect(others[partner]).toBeGreaterThan(0.3);
      for (let j = 0; j < vectors.length; j++) {
        if (j !== i && j !== partner) expect(Math.abs(others[j] ?? 0)).toBeLessThan(0.2);
      }
    }
    const [refundA, refundB] = vectors;
    expect(cosine(refundA ?? [], refundB ?? [])).toBeGreaterThan(0.6);
  });

  it("counts calls and inputs per model so tests can assert a cached second load embeds nothing", async () => {
    await client.embeddings.create({ model: "emb-u21", input: ["a doc", "another doc", "third doc"] });
    await client.embeddings.create({ model: "emb-u21", input: "one more" });
    expect(fake.stats({ model: "emb-u21" })).toMatchObject({ embeddingCalls: 2, embeddingInputs: 4 });
    expect(fake.stats({ model: "emb-never-used" })).toMatchObject({ embeddingCalls: 0, embeddingInputs: 0 });
  });

  it("rejects empty input like the real API", async () => {
    await expect(client.embeddings.create({ model: "emb-v22", input: "" })).rejects.toBeInstanceOf(
      BadRequestError,
    );
    await expect(client.embeddings.create({ model: "emb-v22", input: [] })).rejects.toBeInstanceOf(
      BadRequestError,
    );
    expect(fake.stats({ model: "emb-v22" }).embeddingCalls).toBe(0);
  });
});
