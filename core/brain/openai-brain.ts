/**
 * The Brain behind any OpenAI-compatible chat-completions endpoint (OpenAI, Workers AI's compatible API,
 * Ollama, vLLM), through the official `openai` client. It streams, reassembles tool calls, and reports
 * failures as BrainError so the orchestrator can switch to the fallback model. The SDK's own retries are off:
 * the turn deadline decides what may be retried.
 */
import OpenAI from "openai";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import {
  type Brain,
  type BrainCall,
  BrainError,
  type BrainInput,
  type Decision,
  type Usage,
} from "./brain.ts";
import { type ShopProfile, systemPrompt } from "./prompts.ts";

export interface OpenAiBrainConfig {
  baseURL: string;
  apiKey: string;
  primaryModel: string;
  fallbackModel: string | null;
  shop: ShopProfile;
}

export function createOpenAiBrain(config: OpenAiBrainConfig): Brain {
  const client = new OpenAI({ baseURL: config.baseURL, apiKey: config.apiKey, maxRetries: 0 });
  const modelName = (model: BrainCall["model"]) =>
    model === "fallback" && config.fallbackModel ? config.fallbackModel : config.primaryModel;

  return {
    kind: "llm",
    hasFallback: config.fallbackModel !== null,
    modelName,
    async decide(input, call) {
      try {
        return await complete(client, modelName(call.model), input, call, config.shop);
      } catch (error) {
        throw classify(error);
      }
    },
  };
}

async function complete(
  client: OpenAI,
  model: string,
  input: BrainInput,
  call: BrainCall,
  shop: ShopProfile,
): Promise<Decision> {
  const stream = await client.chat.completions.create(
    {
      model,
      messages: toMessages(input, shop),
      temperature: call.temperature,
      ...(input.tools.length > 0
        ? { tools: input.tools, tool_choice: input.toolsAllowed ? "auto" : "none" }
        : {}),
      stream: true,
      stream_options: { include_usage: true },
    },
    { signal: call.signal },
  );
  let text = "";
  const calls: { id: string; name: string; arguments: string }[] = [];
  const usage: Usage = { promptTokens: 0, completionTokens: 0 };
  for await (const chunk of stream) {
    if (chunk.usage) {
      usage.promptTokens = chunk.usage.prompt_tokens;
      usage.completionTokens = chunk.usage.completion_tokens;
    }
    const delta = chunk.choices[0]?.delta;
    if (!delta) continue;
    if (delta.content) {
      text += delta.content;
      call.onDelta?.(delta.content);
    }
    for (const part of delta.tool_calls ?? []) {
      const slot = calls[part.index] ?? { id: "", name: "", arguments: "" };
      calls[part.index] = slot;
      if (part.id) slot.id = part.id;
      if (part.function?.name) slot.name += part.function.name;
      if (part.function?.arguments) slot.arguments += part.function.arguments;
    }
  }
  const toolCalls = calls.filter(Boolean).map((c, i) => ({ ...c, id: c.id || `call_${i}` }));
  if (toolCalls.length > 0) return { kind: "tool_calls", calls: toolCalls, usage };
  if (text.trim().length === 0)
    throw new BrainError("malformed", "the model returned neither text nor tool calls");
  return { kind: "reply", text, usage };
}

function toMessages(input: BrainInput, shop: ShopProfile): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [
    { role: "system", content: systemPrompt(shop, input) },
    ...input.history.map((h) => ({ role: h.role, content: h.content })),
    { role: "user", content: input.message },
  ];
  for (const item of input.scratch) {
    if (item.kind === "result") {
      messages.push({ role: "tool", tool_call_id: item.id, content: item.content });
      continue;
    }
    const last = messages.at(-1);
    const toolCall = {
      id: item.id,
      type: "function" as const,
      function: { name: item.name, arguments: item.arguments },
    };
    // Calls the model made together stay in one assistant message, as the API expects.
    if (last?.role === "assistant" && last.tool_calls) last.tool_calls.push(toolCall);
    else messages.push({ role: "assistant", content: null, tool_calls: [toolCall] });
  }
  if (input.instructions) messages.push({ role: "system", content: input.instructions });
  return messages;
}

function classify(error: unknown): BrainError {
  if (error instanceof BrainError) return error;
  if (
    error instanceof OpenAI.APIConnectionTimeoutError ||
    (error instanceof Error && error.name === "AbortError")
  ) {
    return new BrainError("timeout", "the model did not answer in time", { cause: error });
  }
  if (error instanceof OpenAI.APIUserAbortError) {
    return new BrainError("timeout", "the model call was cut off by the deadline", { cause: error });
  }
  if (error instanceof OpenAI.APIError) {
    return new BrainError("error", `the model endpoint failed (${error.status ?? "no status"})`, {
      cause: error,
    });
  }
  if (error instanceof SyntaxError)
    return new BrainError("malformed", "the model sent an unreadable response", { cause: error });
  return new BrainError("error", "the model call failed", { cause: error });
}
