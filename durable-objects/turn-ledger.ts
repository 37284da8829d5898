/**
 * Everything one turn accumulates while the runner performs its effects: time per stage, tokens and the model
 * that answered, the tool calls for the record, whether it handed off, the ticket it opened and its reply. One
 * explicit object instead of loose variables, so the runner only reads and appends, and the end of a turn is
 * one pure `result()`. Used by turn-runner.ts.
 */
import type { Usage } from "../core/brain/brain.ts";
import type { FinalReply } from "../core/orchestrator/machine.ts";
import type { RecordedToolCall, TurnMetricsRow } from "../db/record.ts";

export type Stage = "plan" | "draft" | "tools" | "guardrail";

export interface TurnResult {
  reply: FinalReply & { ticketReference?: string };
  handoff: boolean;
  toolCalls: RecordedToolCall[];
  metrics: TurnMetricsRow;
}

export class TurnLedger {
  readonly turnId: string;
  readonly startedAt: number;
  readonly #brain: "llm" | "offline";
  readonly #ms: Record<Stage, number> = { plan: 0, draft: 0, tools: 0, guardrail: 0 };
  readonly #usage: Usage = { promptTokens: 0, completionTokens: 0 };
  readonly #calls = new Map<string, RecordedToolCall>();
  #model: string | null = null;
  #handoff = false;
  #ticketReference: string | undefined;
  #reply: FinalReply | null = null;

  constructor(turnId: string, brain: "llm" | "offline", startedAt: number) {
    this.turnId = turnId;
    this.#brain = brain;
    this.startedAt = startedAt;
  }

  time(stage: Stage, ms: number): void {
    this.#ms[stage] += ms;
  }

  /** A Brain call that answered: its model and tokens. */
  used(model: string, usage: Usage): void {
    this.#model = model;
    this.#usage.promptTokens += usage.promptTokens;
    this.#usage.completionTokens += usage.completionTokens;
  }

  /** A tool run (or another attempt of one): the latest outcome wins, latency adds up over attempts. */
  ran(call: RecordedToolCall): void {
    const earlier = this.#calls.get(call.id)?.latencyMs ?? 0;
    this.#calls.set(call.id, { ...call, latencyMs: earlier + call.latencyMs });
  }

  /** A side effect put on the queue; a call the Brain made itself was already recorded by `ran`. */
  queued(call: RecordedToolCall): void {
    if (!this.#calls.has(call.id)) this.#calls.set(call.id, call);
  }

  handedOff(): void {
    this.#handoff = true;
  }

  ticket(reference: string | undefined): void {
    if (reference) this.#ticketReference = reference;
  }

  respond(reply: FinalReply): void {
    this.#reply = reply;
  }

  result(options: {
    toolCallsUsed: number;
    costPerMTok: { input: number; output: number };
    now: number;
  }): TurnResult {
    const reply = this.#reply;
    if (!reply) throw new Error("the turn ended without a reply");
    const { promptTokens, completionTokens } = this.#usage;
    const costUsd =
      (promptTokens * options.costPerMTok.input + completionTokens * options.costPerMTok.output) / 1_000_000;
    return {
      reply: this.#ticketReference ? { ...reply, ticketReference: this.#ticketReference } : reply,
      handoff: this.#handoff,
      toolCalls: [...this.#calls.values()],
      metrics: {
        turnId: this.turnId,
        brain: this.#brain,
        model: this.#model,
        outcome: reply.outcome,
        toolCalls: options.toolCallsUsed,
        totalMs: options.now - this.startedAt,
        planMs: Math.round(this.#ms.plan),
        toolsMs: Math.round(this.#ms.tools),
        draftMs: Math.round(this.#ms.draft),
        guardrailMs: Math.round(this.#ms.guardrail),
        promptTokens,
        completionTokens,
        costUsd,
      },
    };
  }
}
