// The OpenAI-compatible fake LLM server: the one dependency of the agent that cannot run on this machine,
// replaced by a scriptable HTTP server that the real `openai` client talks to. Unit/integration tests,
// benchmarks and evals start it with startFakeLlm() (or cli.ts for non-Node callers) and script answers
// with rules; see README.md. Endpoints: /v1/chat/completions, /v1/embeddings, /v1/models, and /_fake/* for
// scripting and inspection over HTTP.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import {
  type ChatRequest,
  chatRequestSchema,
  completionBody,
  lastUserMessage,
  planReply,
  type Reply,
  streamChunks,
  toolNames,
  toolSequenceError,
} from "./chat.ts";
import { embeddingInputs, embeddingRequestSchema, embeddingResponseBody } from "./embeddings.ts";
import {
  BodyTooLargeError,
  isGone,
  readBody,
  sendEmpty,
  sendJson,
  sendRaw,
  sleep,
  startSse,
  writeSse,
} from "./http-io.ts";
import { type OpenAiErrorOptions, openAiError } from "./openai-error.ts";
import { createRequestLog, type FakeStats, type RecordedRequest, type RequestFilter } from "./request-log.ts";
import { createRuleBook, type Rule, type RuleSummary, RuleValidationError, type Step } from "./rules.ts";

export { DEFAULT_REPLY } from "./chat.ts";
export { DEFAULT_DIMENSIONS, embedText } from "./embeddings.ts";
export type { FakeStats, RecordedRequest, RequestFilter } from "./request-log.ts";
export type { Rule, RuleSummary, Step } from "./rules.ts";

export interface FakeLlmOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Added before every /v1 response; 0 for benchmarks. A step's delayMs adds to it. */
  latencyMs?: number;
  /** Answer 401 without `Authorization: Bearer <key>`, as api.openai.com does. Default true. */
  requireApiKey?: boolean;
  /** Accept only this key (401 "Incorrect API key" for any other), to check that a deployment sends its own. */
  apiKey?: string;
}

export interface RuleHandle {
  id: string;
  /** Requests this rule has answered so far. */
  hits(): number;
  remove(): void;
}

export interface FakeLlm {
  /** Base URL for the `openai` client, e.g. http://127.0.0.1:PORT/v1 */
  url: string;
  addRule(rule: Rule): RuleHandle;
  rules(): RuleSummary[];
  /** Forgets all rules, recorded requests and counters. Concurrent test files should prefer RuleHandle.remove(). */
  reset(): void;
  requests(filter?: RequestFilter): RecordedRequest[];
  stats(filter?: { model?: string }): FakeStats & { inFlight: number };
  close(): Promise<void>;
}

const FIXED_MODELS = ["fake-chat", "fake-embedding"];

type JsonResult = { ok: true; value: unknown } | { ok: false; status: number; message: string };

async function readJson(req: IncomingMessage): Promise<JsonResult> {
  let raw: string;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return { ok: false, status: 413, message: error.message };
    throw error;
  }
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      status: 400,
      message: `We could not parse the JSON body of your request. (fake-llm: ${detail})`,
    };
  }
}

function validationMessage(error: z.ZodError): { message: string; param: string | null } {
  const first = error.issues[0];
  const param = first && first.path.length > 0 ? first.path.map(String).join(".") : null;
  return { message: `Invalid request: ${z.prettifyError(error)}`, param };
}

function errorHeaders(step: NonNullable<Step["error"]>): Record<string, string> {
  const headers: Record<string, string> = {};
  if (step.retryAfterMs !== undefined) headers["retry-after-ms"] = String(step.retryAfterMs);
  if (step.shouldRetry !== undefined) headers["x-should-retry"] = String(step.shouldRetry);
  return headers;
}

export async function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const { port = 0, host = "127.0.0.1", latencyMs = 0, requireApiKey = true } = options;
  const rules = createRuleBook();
  const log = createRequestLog();
  let inFlight = 0;
  let replySeq = 0;

  const fail = (res: ServerResponse, status: number, message: string, extra: OpenAiErrorOptions = {}) =>
    sendJson(res, status, openAiError(status, message, extra));

  async function streamReply(
    res: ServerResponse,
    signal: AbortSignal,
    reply: Reply,
    step: Step | undefined,
    request: ChatRequest,
  ) {
    const headers = { "x-request-id": `req_fake_${reply.id}` };
    startSse(res, headers);
    const chunks = streamChunks(reply, request.stream_options?.include_usage === true);
    const pause = step?.chunkDelayMs ?? 0;

    if (step?.malformed !== undefined) {
      // "stream" lets the client get going before the garbage; "body" breaks the very first event.
      const validFirst = step.malformed === "stream" ? chunks.slice(0, 2) : [];
      for (const chunk of validFirst) {
        writeSse(res, JSON.stringify(chunk));
        if (!(await sleep(pause, signal))) return;
      }
      writeSse(res, '{"id": "chatcmpl-fake-garbage", "choices": [{"delta": {"content": "trunc');
      if (!isGone(res)) res.end();
      return;
    }

    // A hanging stream delivers its deltas and then stalls before the finish chunk, like a stuck upstream.
    const finishAt = chunks.findIndex((chunk) => {
      const choices = (chunk as { choices?: { finish_reason?: unknown }[] }).choices;
      return choices?.[0]?.finish_reason != null;
    });
    const toSend = step?.hang === true ? chunks.slice(0, finishAt) : chunks;
    for (const chunk of toSend) {
      if (isGone(res)) return;
      writeSse(res, JSON.stringify(chunk));
      if (!(await sleep(pause, signal))) return;
    }
    if (step?.hang === true) return;
    writeSse(res, "[DONE]");
    if (!isGone(res)) res.end();
  }

  async function chatCompletions(req: IncomingMessage, res: ServerResponse, signal: AbortSignal) {
    const body = await readJson(req);
    if (!body.ok) {
      if (await sleep(latencyMs, signal)) fail(res, body.status, body.message);
      return;
    }
    const parsed = chatRequestSchema.safeParse(body.value);
    if (!parsed.success) {
      const { message, param } = validationMessage(parsed.error);
      if (await sleep(latencyMs, signal)) fail(res, 400, message, { param });
      return;
    }
    const request = parsed.data;
    const sequenceError = toolSequenceError(request);
    if (sequenceError !== null) {
      if (await sleep(latencyMs, signal)) fail(res, 400, sequenceError, { param: "messages" });
      return;
    }

    // Selection and step consumption happen synchronously on arrival, so concurrent requests take steps
    // in arrival order and no two requests ever get the same step.
    const last = lastUserMessage(request);
    const selected = rules.take(last, request.model);
    const seq = ++replySeq;
    const retryHeader = Number(req.headers["x-stainless-retry-count"] ?? 0);
    log.recordChat({
      model: request.model,
      temperature: request.temperature ?? null,
      tools: toolNames(request),
      tool_choice: request.tool_choice ?? null,
      stream: request.stream === true,
      messages: request.messages,
      lastUserMessage: last,
      retryCount: Number.isFinite(retryHeader) ? retryHeader : 0,
      ruleId: selected?.ruleId ?? null,
      stepIndex: selected?.stepIndex ?? null,
      body: request,
    });

    const step = selected?.step;
    if (!(await sleep(latencyMs + (step?.delayMs ?? 0), signal))) return;

    if (step?.error !== undefined) {
      const { status, message, type, code } = step.error;
      sendJson(
        res,
        status,
        openAiError(status, message ?? `Scripted error ${status} from fake-llm`, { type, code }),
        errorHeaders(step.error),
      );
      return;
    }
    // Not answering at all: the client's timeout or AbortSignal ends it, and res "close" cleans up.
    const hasContent = step?.text !== undefined || step?.tool_calls !== undefined;
    if (step?.hang === true && (!hasContent || request.stream !== true)) return;
    const reply = planReply(request, step, seq);
    if (request.stream === true) {
      await streamReply(res, signal, reply, step, request);
      return;
    }
    if (step?.malformed !== undefined) {
      sendRaw(
        res,
        200,
        "application/json",
        `{"id": "${reply.id}", "object": "chat.completion", "choices": [`,
      );
      return;
    }
    sendJson(res, 200, completionBody(reply), { "x-request-id": `req_fake_${reply.id}` });
  }

  async function embeddings(req: IncomingMessage, res: ServerResponse, signal: AbortSignal) {
    const body = await readJson(req);
    if (!body.ok) {
      if (await sleep(latencyMs, signal)) fail(res, body.status, body.message);
      return;
    }
    const parsed = embeddingRequestSchema.safeParse(body.value);
    if (!parsed.success) {
      const { message, param } = validationMessage(parsed.error);
      if (await sleep(latencyMs, signal)) fail(res, 400, message, { param });
      return;
    }
    const inputs = embeddingInputs(parsed.data);
    log.recordEmbeddings(parsed.data.model, inputs.length);
    if (!(await sleep(latencyMs, signal))) return;
    sendJson(res, 200, embeddingResponseBody(parsed.data, inputs));
  }

  function modelIds(): string[] {
    const fromRules = rules.list().flatMap((rule) => (rule.model === undefined ? [] : [rule.model]));
    return [...new Set([...FIXED_MODELS, ...fromRules])];
  }

  const modelObject = (id: string) => ({ id, object: "model", created: 0, owned_by: "fake-llm" });

  async function openAiRoutes(req: IncomingMessage, res: ServerResponse, signal: AbortSignal, path: string) {
    const method = req.method ?? "GET";
    if (requireApiKey && !/^Bearer\s+\S+/i.test(req.headers.authorization ?? "")) {
      req.resume();
      if (await sleep(latencyMs, signal)) {
        fail(
          res,
          401,
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          { code: null },
        );
      }
      return;
    }
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      req.resume();
      if (await sleep(latencyMs, signal))
        fail(res, 401, "Incorrect API key provided.", { code: "invalid_api_key" });
      return;
    }
    if (path === "/v1/chat/completions" && method === "POST") return chatCompletions(req, res, signal);
    if (path === "/v1/embeddings" && method === "POST") return embeddings(req, res, signal);
    req.resume();
    if (!(await sleep(latencyMs, signal))) return;
    if (path === "/v1/models" && method === "GET") {
      sendJson(res, 200, { object: "list", data: modelIds().map(modelObject) });
      return;
    }
    const modelMatch = /^\/v1\/models\/([^/]+)$/.exec(path);
    if (modelMatch?.[1] !== undefined && method === "GET") {
      sendJson(res, 200, modelObject(decodeURIComponent(modelMatch[1])));
      return;
    }
    const known = ["/v1/chat/completions", "/v1/embeddings", "/v1/models"].includes(path);
    fail(res, known ? 405 : 404, `fake-llm does not serve ${method} ${path}`);
  }

  async function controlRoutes(req: IncomingMessage, res: ServerResponse, url: URL, path: string) {
    const method = req.method ?? "GET";
    const param = (name: string) => url.searchParams.get(name) ?? undefined;
    if (method === "POST" && path === "/_fake/rules") {
      const body = await readJson(req);
      if (!body.ok) return fail(res, body.status, body.message);
      try {
        sendJson(res, 201, { id: rules.add(body.value) });
      } catch (error) {
        if (!(error instanceof RuleValidationError)) throw error;
        fail(res, 400, error.message);
      }
      return;
    }
    req.resume();
    if (method === "GET" && path === "/_fake/health") return sendJson(res, 200, { ok: true });
    if (method === "GET" && path === "/_fake/rules") return sendJson(res, 200, { data: rules.list() });
    if (method === "DELETE" && path === "/_fake/rules") {
      rules.clear();
      return sendEmpty(res, 204);
    }
    const ruleMatch = /^\/_fake\/rules\/([^/]+)$/.exec(path);
    if (method === "DELETE" && ruleMatch?.[1] !== undefined) {
      if (rules.remove(decodeURIComponent(ruleMatch[1]))) return sendEmpty(res, 204);
      return fail(res, 404, `no rule ${ruleMatch[1]}`);
    }
    if (method === "GET" && path === "/_fake/requests") {
      return sendJson(res, 200, { data: log.requests({ match: param("match"), model: param("model") }) });
    }
    if (method === "GET" && path === "/_fake/stats") {
      return sendJson(res, 200, { ...log.stats({ model: param("model") }), inFlight });
    }
    if (method === "POST" && path === "/_fake/reset") {
      rules.clear();
      log.clear();
      return sendEmpty(res, 204);
    }
    fail(res, 404, `fake-llm has no control endpoint ${method} ${path}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const controller = new AbortController();
    // "close" fires both after a normal end and when the client goes away; either way pending work stops.
    res.on("close", () => controller.abort());
    const url = new URL(req.url ?? "/", "http://fake-llm");
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    if (path.startsWith("/_fake/")) return controlRoutes(req, res, url, path);

    inFlight++;
    res.on("close", () => inFlight--);
    if (path.startsWith("/v1/")) return openAiRoutes(req, res, controller.signal, path);
    req.resume();
    fail(res, 404, `fake-llm serves /v1/* and /_fake/*, not ${path}`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the fake must fail the one request loudly, never take down a server shared by many tests.
      console.error("fake-llm: request failed", error);
      if (!res.headersSent && !isGone(res)) {
        fail(res, 500, `fake-llm internal error: ${error instanceof Error ? error.message : String(error)}`);
      } else {
        res.destroy();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.address.includes(":") ? `[${address.address}]` : address.address;

  return {
    url: `http://${hostPart}:${address.port}/v1`,
    addRule(rule) {
      const id = rules.add(rule);
      return { id, hits: () => rules.hits(id), remove: () => void rules.remove(id) };
    },
    rules: () => rules.list(),
    reset() {
      rules.clear();
      log.clear();
    },
    requests: (filter) => log.requests(filter),
    stats: (filter) => ({ ...log.stats(filter), inFlight }),
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging and streaming requests would otherwise keep close() waiting forever.
        server.closeAllConnections();
      });
    },
  };
}
