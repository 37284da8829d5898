/**
 * The Brain's contract: it plans, picks tools and drafts, and nothing else. Both brains (the OpenAI-compatible
 * one and the offline one) implement it; the orchestrator cannot tell them apart. The input carries text the
 * visitor wrote and tool results shaped by the Hands, never keys, connection strings or raw rows.
 */
import type { Language } from "../contracts/language.ts";
import type { MessageMeta } from "../contracts/thread.ts";

export interface ToolSpec {
  type: "function";
  function: { name: string; description: string; parameters: Record<string, unknown>; strict: true };
}

/** One step of the current turn the Brain must see: its own tool calls and what they returned. */
export type ScratchItem =
  | { kind: "call"; id: string; name: string; arguments: string }
  | { kind: "result"; id: string; name: string; content: string };

export interface HistoryItem {
  role: "user" | "assistant";
  content: string;
  meta?: MessageMeta;
}

export interface BrainInput {
  /** plan: first call of a turn, picks tools (temperature 0.2). draft: writes the answer (0.5), may still call tools. */
  mode: "plan" | "draft";
  history: HistoryItem[];
  message: string;
  scratch: ScratchItem[];
  tools: ToolSpec[];
  /** Whether more tools may be called in this call (the 3-call cap, deadline). */
  toolsAllowed: boolean;
  loggedIn: boolean;
  /**
   * The visitor's language, detected once per turn by the turn runner: the offline brain answers in it. Callers
   * outside a turn (evals, tests) may leave it out; the offline brain then detects it from the message.
   */
  language?: Language;
  /** Set when search_kb is switched off (empty or stale help centre): why, so the visitor can be told. */
  knowledgeUnavailable?: string;
  /** Extra guidance for this call, e.g. why a redraft was needed. */
  instructions?: string;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export type Decision =
  | { kind: "reply"; text: string; usage: Usage; awaiting?: MessageMeta["awaiting"]; awaitingTool?: string }
  | { kind: "tool_calls"; calls: { id: string; name: string; arguments: string }[]; usage: Usage };

export interface BrainCall {
  model: "primary" | "fallback";
  temperature: number;
  signal: AbortSignal;
  /** Text as it streams; only called for text the Brain means as its answer. */
  onDelta?: (text: string) => void;
}

export interface Brain {
  readonly kind: "llm" | "offline";
  readonly hasFallback: boolean;
  modelName(model: BrainCall["model"]): string;
  decide(input: BrainInput, call: BrainCall): Promise<Decision>;
}

/** A failed Brain call, classified for the orchestrator: any of these switches to the fallback model. */
export type BrainFailure = "timeout" | "error" | "malformed";

/** Thrown by a Brain inside the Durable Object; the shell turns it into a `brain_failed` event. */
export class BrainError extends Error {
  override readonly name = "BrainError";
  readonly failure: BrainFailure;

  constructor(failure: BrainFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.failure = failure;
  }
}
