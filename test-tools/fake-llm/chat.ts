// Chat completions for the fake LLM: the request schema, the checks api.openai.com applies that catch real
// agent bugs (tool message ordering, tool names), and the encoders for both response modes. The streaming
// encoder follows the wire format the `openai` SDK's ChatCompletionStream accumulates: a role delta first,
// text in several content deltas, each tool call opened with index/id/type/name and then argument fragments,
// a finish_reason chunk, and a choices-less usage chunk when stream_options.include_usage is set.
// Used by server.ts.

import { z } from "zod";
import type { Step } from "./rules.ts";

const contentPartSchema = z.looseObject({ type: z.string(), text: z.string().optional() });

const toolCallInMessageSchema = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string() }).optional(),
});

const messageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool", "function"]),
  content: z.union([z.string(), z.array(contentPartSchema), z.null()]).optional(),
  tool_calls: z.array(toolCallInMessageSchema).nullish(),
  tool_call_id: z.string().optional(),
});

// OpenAI rejects function names outside this pattern; checking here keeps a bad tool registry from passing tests.
const toolNameSchema = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, "tool names must match ^[a-zA-Z0-9_-]{1,64}$");

const toolSchema = z.looseObject({
  type: z.string(),
  function: z.looseObject({ name: toolNameSchema }).optional(),
  custom: z.looseObject({ name: toolNameSchema }).optional(),
});

export const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  tools: z.array(toolSchema).nullish(),
  tool_choice: z.union([z.string(), z.looseObject({})]).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  // The fake scripts a single answer; accepting n > 1 would silently hand back fewer choices than asked for.
  n: z.literal(1).nullish(),
});

export type ChatRequest = z.infer<typeof chatRequestSchema>;
type ChatMessage = ChatRequest["messages"][number];

export const DEFAULT_REPLY = "This is the fake model.";

function messageText(message: ChatMessage): string {
  const { content } = message;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => part.text ?? "")
    .filter((text) => text !== "")
    .join("\n");
}

/** The text rules match against; multi-part content is joined so `match` works for either form. */
export function lastUserMessage(request: ChatRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i];
    if (message?.role === "user") return messageText(message);
  }
  return "";
}

export function toolNames(request: ChatRequest): string[] {
  return (request.tools ?? []).flatMap((tool) => {
    const name = tool.function?.name ?? tool.custom?.name;
    return name === undefined ? [] : [name];
  });
}

/**
 * The ordering rule OpenAI enforces: every assistant tool call is answered by a tool message right after it,
 * and no tool message answers a call that was not made. Returns OpenAI's error message, or null when valid.
 */
export function toolSequenceError(request: ChatRequest): string | null {
  let open: Set<string> | null = null;
  const unanswered = (ids: Set<string>) =>
    "An assistant message with 'tool_calls' must be followed by tool messages responding to each " +
    `'tool_call_id'. The following tool_call_ids did not have response messages: ${[...ids].join(", ")}`;

  for (const message of request.messages) {
    if (message.role === "tool") {
      const id = message.tool_call_id;
      if (open === null || id === undefined || !open.has(id)) {
        return "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.";
      }
      open.delete(id);
      continue;
    }
    if (open !== null && open.size > 0) return unanswered(open);
    open = null;
    const calls = message.role === "assistant" ? (message.tool_calls ?? []) : [];
    if (calls.length > 0) open = new Set(calls.map((call) => call.id));
  }
  return open !== null && open.size > 0 ? unanswered(open) : null;
}

/** Rough token count (about four characters a token) so usage numbers scale with input like the real ones. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

export function promptTokens(request: ChatRequest): number {
  let tokens = 0;
  for (const message of request.messages) {
    // Per-message framing overhead, as in OpenAI's own accounting.
    tokens += 3 + estimateTokens(messageText(message));
    for (const call of message.tool_calls ?? []) {
      tokens += estimateTokens(`${call.function?.name ?? ""}${call.function?.arguments ?? ""}`);
    }
  }
  if (request.tools) tokens += estimateTokens(JSON.stringify(request.tools));
  return tokens;
}

export interface ReplyToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface Reply {
  id: string;
  created: number;
  model: string;
  text: string | null;
  toolCalls: ReplyToolCall[];
  finishReason: "stop" | "length" | "tool_calls" | "content_filter";
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** Turns a scripted step (or none: the default reply) into the concrete answer both encoders render. */
export function planReply(request: ChatRequest, step: Step | undefined, seq: number): Reply {
  const scripted =
    step !== undefined &&
    (step.text !== undefined || step.tool_calls !== undefined || step.echo !== undefined);
  const echoed = step?.echo ? echo(request, step.echo) : "";
  const text = scripted ? (step.text ?? "") + echoed || null : DEFAULT_REPLY;
  const toolCalls = (step?.tool_calls ?? []).map((call, i) => ({
    id: call.id ?? `call_fake_${seq}_${i}`,
    name: call.name,
    arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
  }));
  const prompt = step?.usage?.prompt_tokens ?? promptTokens(request);
  const completion =
    step?.usage?.completion_tokens ??
    estimateTokens(text ?? "") +
      toolCalls.reduce((sum, call) => sum + estimateTokens(call.name + call.arguments), 0);
  return {
    id: `chatcmpl-fake-${seq}`,
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    text,
    toolCalls,
    finishReason: step?.finish_reason ?? (toolCalls.length > 0 ? "tool_calls" : "stop"),
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  };
}

/** What the request showed the model: its system message, or its tool results one per line. */
function echo(request: ChatRequest, what: "system" | "tool_results"): string {
  const role = what === "system" ? "system" : "tool";
  return request.messages
    .filter((m) => m.role === role)
    .map(messageText)
    .join("\n");
}

export function completionBody(reply: Reply): Record<string, unknown> {
  const message: Record<string, unknown> = {
    role: "assistant",
    content: reply.text,
    refusal: null,
    annotations: [],
  };
  if (reply.toolCalls.length > 0) {
    message.tool_calls = reply.toolCalls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    id: reply.id,
    object: "chat.completion",
    created: reply.created,
    model: reply.model,
    system_fingerprint: "fp_fake",
    choices: [{ index: 0, message, logprobs: null, finish_reason: reply.finishReason }],
    usage: reply.usage,
  };
}

/** Words keep their trailing whitespace so the deltas concatenate back to the exact text. */
export function splitText(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

const ARGUMENT_FRAGMENT_CHARS = 8;

/** Splits on code points, never inside a surrogate pair, so every fragment is valid UTF-8 on the wire. */
export function splitArguments(args: string): string[] {
  const chars = Array.from(args);
  const fragments: string[] = [];
  for (let i = 0; i < chars.length; i += ARGUMENT_FRAGMENT_CHARS) {
    fragments.push(chars.slice(i, i + ARGUMENT_FRAGMENT_CHARS).join(""));
  }
  return fragments;
}

/** The chunk objects of a streamed answer, in order, without the `[DONE]` sentinel. */
export function streamChunks(reply: Reply, includeUsage: boolean): Record<string, unknown>[] {
  const base = {
    id: reply.id,
    object: "chat.completion.chunk",
    created: reply.created,
    model: reply.model,
    system_fingerprint: "fp_fake",
  };
  // With include_usage, OpenAI sends `usage: null` on every chunk except the last.
  const usageField = includeUsage ? { usage: null } : {};
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...usageField,
  });

  const chunks: Record<string, unknown>[] = [
    chunk({ role: "assistant", content: reply.text === null ? null : "", refusal: null }),
  ];
  for (const piece of splitText(reply.text ?? "")) chunks.push(chunk({ content: piece }));
  reply.toolCalls.forEach((call, index) => {
    chunks.push(
      chunk({
        tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }],
      }),
    );
    for (const fragment of splitArguments(call.arguments)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }));
    }
  });
  chunks.push(chunk({}, reply.finishReason));
  if (includeUsage) chunks.push({ ...base, choices: [], usage: reply.usage });
  return chunks;
}
