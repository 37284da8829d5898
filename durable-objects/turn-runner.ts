/**
 * The imperative shell of one turn: feeds events to the pure state machine (core/orchestrator/machine.ts) and
 * performs the effects it asks for: Brain calls under their timeouts, inline tools behind the shared circuit
 * breaker, side-effecting tools through the tool-step queue. What the turn accumulates goes into one
 * TurnLedger; it streams sanitized text as it comes and returns the ledger's result. Called by the Thread
 * Durable Object, one turn at a time.
 */
import type { Brain, BrainInput, Decision, HistoryItem } from "../core/brain/brain.ts";
import { BrainError } from "../core/brain/brain.ts";
import { detectLanguage } from "../core/brain/languages.ts";
import { toolSpecs } from "../core/brain/tool-specs.ts";
import type { AppConfig } from "../core/config.ts";
import type { TurnEvent as ApiEvent } from "../core/contracts/api.ts";
import type { ToolStep } from "../core/contracts/queue.ts";
import type { Channel, Identity } from "../core/contracts/thread.ts";
import type { ErrorCode } from "../core/errors.ts";
import { handoffExcerpt, ticketEmail, typedEmails, visitorMessages } from "../core/guardrails/acting-for.ts";
import { flagContent } from "../core/guardrails/content-filter.ts";
import { maskPii } from "../core/guardrails/pii.ts";
import type { HandContext } from "../core/hands/define-hand.ts";
import { toolFault } from "../core/hands/faults.ts";
import type { HandPorts } from "../core/hands/ports.ts";
import { hands, type ToolName } from "../core/hands/registry.ts";
import { callReference } from "../core/ids.ts";
import type { Logger } from "../core/log.ts";
import { noSpend, type Spent, TurnBudget } from "../core/orchestrator/budget.ts";
import {
  defaultTurnConfig,
  type Effect,
  initialState,
  type TurnConfig,
  type TurnEvent,
  transition,
} from "../core/orchestrator/machine.ts";
import type { RecordedToolCall } from "../db/record.ts";
import { createDeltaStreamer } from "./delta-streamer.ts";
import { TurnLedger, type TurnResult } from "./turn-ledger.ts";

export type { TurnResult } from "./turn-ledger.ts";

export interface TurnInput {
  turnId: string;
  threadId: string;
  channel: Channel;
  identity: Identity | null;
  message: string;
  history: HistoryItem[];
}

export interface TurnServices {
  brain: Brain;
  /** Drafts when the model may not be asked again this turn (a cap or a budget). */
  offlineBrain: Brain;
  /** Today's model spend of this thread and of the site; the turn adds its own at the end. */
  spend: { load(): Promise<{ thread: Spent; site: Spent }>; add(spent: Spent): Promise<void> };
  config: AppConfig;
  log: Logger;
  emit(event: ApiEvent): void;
  /** Hand ports over this turn's database connection, opened on first use. */
  ports(): HandPorts;
  breaker(tool: ToolName): {
    admit(): Promise<{ allowed: boolean; status: string }>;
    report(ok: boolean): Promise<unknown>;
  };
  /** Whether search_kb may run (the help centre is neither empty nor stale), and why not. */
  knowledge(): Promise<{ available: boolean; reason: string | null }>;
  /** Records a queued side effect and sends it to the tool-step queue. */
  enqueue(step: ToolStep, record: RecordedToolCall): Promise<void>;
}

export async function runTurn(input: TurnInput, services: TurnServices): Promise<TurnResult> {
  const { brain, config } = services;
  const knowledge = config.enabledTools.includes("search_kb") ? await services.knowledge() : null;
  const knowledgeUnavailable = knowledge && !knowledge.available ? (knowledge.reason ?? "unavailable") : null;
  // Detected once: the machine's own sentences and both brains use the same language for the turn.
  const language = detectLanguage(input.message);
  const turnConfig: TurnConfig = {
    ...defaultTurnConfig,
    hasFallback: brain.hasFallback,
    enabledTools: knowledgeUnavailable
      ? config.enabledTools.filter((t) => t !== "search_kb")
      : config.enabledTools,
    allowedHosts: config.allowedLinkHosts,
    secrets: config.secrets,
    language,
  };
  const visitor = visitorMessages(input.history, input.message);
  const startedAt = Date.now();
  const ledger = new TurnLedger(input.turnId, brain.kind, startedAt);
  const budget = brain.kind === "llm" ? await loadBudget() : null;

  let state = initialState(startedAt, turnConfig);
  let next: TurnEvent | null = { type: "started", now: startedAt, flag: flagContent(input.message) };
  while (next) {
    const t0 = performance.now();
    const step = transition(state, next, turnConfig);
    ledger.time("guardrail", performance.now() - t0);
    state = step.state;
    next = null;
    for (const effect of step.effects) {
      switch (effect.type) {
        case "call_brain": {
          const spent = effect.offline ? null : budget?.exceeded();
          if (spent) {
            services.log.warn("budget.exceeded", { turnId: input.turnId, scope: spent });
            next = { type: "over_budget", now: Date.now() };
          } else next = await callBrain(effect);
          break;
        }
        case "run_tool":
          next = await runTool(effect);
          break;
        case "open_ticket":
          ledger.ticket(
            await followUp("create_ticket", {
              email: input.identity?.email ?? typedEmails(visitor).at(-1) ?? null,
              subject: effect.subject,
              body: effect.body,
              priority: effect.priority,
            }),
          );
          break;
        case "request_handoff":
          await followUp("handoff_human", {
            reason: effect.reason,
            transcript_excerpt: handoffExcerpt(visitor),
          });
          ledger.handedOff();
          break;
        case "respond":
          ledger.respond(effect.reply);
          break;
        default: {
          const unreachable: never = effect;
          throw new Error(`unhandled effect ${JSON.stringify(unreachable)}`);
        }
      }
    }
  }
  if (budget && budget.spent().tokens > 0) {
    try {
      await services.spend.add(budget.spent());
    } catch (error) {
      services.log.error("budget.record_failed", { turnId: input.turnId, error });
    }
  }
  return ledger.result({
    toolCallsUsed: state.toolCallsUsed,
    costPerMTok: config.costPerMTok,
    now: Date.now(),
  });

  async function callBrain(effect: Extract<Effect, { type: "call_brain" }>): Promise<TurnEvent> {
    const t0 = performance.now();
    services.emit({ event: "status", data: { stage: effect.mode === "plan" ? "thinking" : "drafting" } });
    const streamer = createDeltaStreamer({
      sanitize: { allowedHosts: config.allowedLinkHosts, secrets: config.secrets },
      citations: state.retrieved,
      emit: (text) => services.emit({ event: "delta", data: { text } }),
    });
    const brainInput: BrainInput = {
      mode: effect.mode,
      history: input.history,
      message: input.message,
      scratch: state.scratch,
      tools: effect.toolsAllowed ? toolSpecs(turnConfig.enabledTools) : [],
      toolsAllowed: effect.toolsAllowed,
      loggedIn: input.identity !== null,
      language,
      ...(knowledgeUnavailable ? { knowledgeUnavailable } : {}),
      ...(effect.instructions ? { instructions: effect.instructions } : {}),
    };
    const asked = effect.offline ? services.offlineBrain : brain;
    let decision: Decision;
    try {
      decision = await asked.decide(brainInput, {
        model: effect.model,
        temperature: effect.temperature,
        signal: AbortSignal.timeout(effect.timeoutMs),
        onDelta: streamer.push,
      });
    } catch (error) {
      const failure = error instanceof BrainError ? error.failure : "error";
      services.log.warn("brain.failed", {
        model: asked.modelName(effect.model),
        failure,
        error,
      });
      return { type: "brain_failed", now: Date.now(), failure };
    } finally {
      ledger.time(effect.mode, performance.now() - t0);
    }
    const modelUsed = asked.modelName(effect.model);
    ledger.used(modelUsed, decision.usage);
    if (!effect.offline) budget?.add(decision.usage);
    if (decision.kind === "tool_calls" && streamer.emitted())
      services.emit({ event: "replace", data: { text: "" } });
    else streamer.flush();
    services.log.info("brain.decided", {
      turnId: input.turnId,
      model: modelUsed,
      mode: effect.mode,
      kind: decision.kind,
      ms: Math.round(performance.now() - t0),
      tokens: decision.usage.promptTokens + decision.usage.completionTokens,
    });
    return { type: "brain_decided", now: Date.now(), decision };
  }

  async function runTool(effect: Extract<Effect, { type: "run_tool" }>): Promise<TurnEvent> {
    if (effect.delayMs > 0) await sleep(effect.delayMs);
    const t0 = performance.now();
    services.emit({ event: "status", data: { stage: "tool", tool: effect.tool, state: "started" } });
    const result = effect.dispatch === "queue" ? await queueTool(effect) : await inlineTool(effect);
    const latencyMs = Math.round(performance.now() - t0);
    ledger.time("tools", latencyMs);
    const ok = result.ok;
    ledger.ran({
      id: effect.callId,
      turnId: input.turnId,
      tool: effect.tool,
      dispatch: effect.dispatch,
      args: maskArgs(effect.args),
      result: ok ? result.output : null,
      status: ok
        ? effect.dispatch === "queue"
          ? "queued"
          : "succeeded"
        : result.code === "unavailable:breaker_open"
          ? "breaker_open"
          : "failed",
      errorCode: ok ? null : result.code,
      attempts: effect.attempt,
      latencyMs,
    });
    services.emit({
      event: "status",
      data: {
        stage: "tool",
        tool: effect.tool,
        state: ok ? (effect.dispatch === "queue" ? "queued" : "succeeded") : "failed",
      },
    });
    services.log.info(ok ? "hand.succeeded" : "hand.failed", {
      turnId: input.turnId,
      tool: effect.tool,
      attempt: effect.attempt,
      ms: latencyMs,
      code: ok ? null : result.code,
    });
    return { type: "tool_done", now: Date.now(), callId: effect.callId, result };
  }

  async function inlineTool(
    effect: Extract<Effect, { type: "run_tool" }>,
  ): Promise<{ ok: true; output: unknown } | { ok: false; code: ErrorCode; retryable: boolean }> {
    const breaker = services.breaker(effect.tool);
    const admission = await breaker.admit();
    if (!admission.allowed) return { ok: false, code: "unavailable:breaker_open", retryable: false };
    const hand = hands[effect.tool];
    const signal = AbortSignal.timeout(effect.timeoutMs);
    try {
      const ctx: HandContext = {
        callId: effect.callId,
        threadId: input.threadId,
        channel: input.channel,
        identity: input.identity,
        language,
        now: new Date(),
        signal,
        // Inside the try: a port that cannot be built is a failed tool call, never a failed turn.
        ports: services.ports(),
      };
      const output = hand.output.parse(await withDeadline(hand.run(effect.args, ctx), signal));
      if (admission.status === "half_open") await breaker.report(true);
      return { ok: true, output };
    } catch (error) {
      const timedOut = signal.aborted;
      const fault = toolFault(error, timedOut);
      services.log.warn("hand.error", { tool: effect.tool, timedOut, fault, error });
      if (fault === "data") {
        // The upstream answered; what this caller sent was the problem. Nobody else's calls are refused for
        // it, and retrying the same arguments cannot help. A half-open probe that got an answer closes it.
        if (admission.status === "half_open") await breaker.report(true);
        return { ok: false, code: "invalid_input:tool", retryable: false };
      }
      await breaker.report(false);
      return { ok: false, code: timedOut ? "timeout:tool" : "upstream:tool", retryable: true };
    }
  }

  async function queueTool(
    effect: Extract<Effect, { type: "run_tool" }>,
  ): Promise<{ ok: true; output: unknown } | { ok: false; code: ErrorCode; retryable: boolean }> {
    const args = forVisitor(effect.tool, effect.args);
    if (!args) {
      services.log.warn("hand.refused", {
        turnId: input.turnId,
        tool: effect.tool,
        code: "invalid_input:email",
      });
      return { ok: false, code: "invalid_input:email", retryable: false };
    }
    try {
      const reference = await enqueueSideEffect(effect.tool, args, effect.callId);
      if (effect.tool === "handoff_human") ledger.handedOff();
      return { ok: true, output: { status: "queued", reference } };
    } catch (error) {
      services.log.warn("queue.send_failed", { tool: effect.tool, error });
      return { ok: false, code: "unavailable:queue", retryable: true };
    }
  }

  async function enqueueSideEffect(
    tool: ToolName,
    args: unknown,
    callId = `call_${crypto.randomUUID()}`,
  ): Promise<string> {
    const reference = await callReference(callId);
    const record: RecordedToolCall = {
      id: callId,
      turnId: input.turnId,
      tool,
      dispatch: "queue",
      args: maskArgs(args),
      result: { status: "queued", reference },
      status: "queued",
      errorCode: null,
      attempts: 1,
      latencyMs: 0,
    };
    await services.enqueue(
      {
        kind: "tool_step",
        callId,
        threadId: input.threadId,
        turnId: input.turnId,
        tool,
        args,
        channel: input.channel,
        identity: input.identity,
        enqueuedAt: new Date().toISOString(),
      },
      record,
    );
    ledger.queued(record);
    return reference;
  }

  /**
   * A follow-up the turn promises (a ticket, a handoff). If it cannot even be queued (the database or the queue
   * is down too), the visitor still gets the answer and ops get an error to act on.
   */
  async function followUp(tool: ToolName, args: unknown): Promise<string | undefined> {
    try {
      return await enqueueSideEffect(tool, args);
    } catch (error) {
      services.log.error("followup.failed", { turnId: input.turnId, tool, error });
      return undefined;
    }
  }

  /** The day's spend so far; a meter that cannot be read does not stop the turn (the log says so). */
  async function loadBudget(): Promise<TurnBudget> {
    let before = { thread: noSpend, site: noSpend };
    try {
      before = await services.spend.load();
    } catch (error) {
      services.log.error("budget.load_failed", { turnId: input.turnId, error });
    }
    return new TurnBudget(config.budget, config.costPerMTok, before);
  }

  /**
   * A side effect's arguments as the visitor may have them: a ticket's email only if the visitor gave it (null
   * when refused), a handoff's excerpt from the visitor's own messages whatever the Brain wrote.
   */
  function forVisitor(tool: ToolName, args: unknown): unknown {
    if (typeof args !== "object" || args === null) return args;
    if (tool === "create_ticket") {
      const requested: unknown = Reflect.get(args, "email");
      const email = ticketEmail(
        typeof requested === "string" ? requested : null,
        input.identity,
        typedEmails(visitor),
      );
      return email.ok ? { ...args, email: email.email } : null;
    }
    if (tool === "handoff_human") return { ...args, transcript_excerpt: handoffExcerpt(visitor) };
    return args;
  }
}

/** Tool arguments as the record keeps them: free text masked, so the log of calls is no second customer file. */
function maskArgs(args: unknown): unknown {
  if (typeof args !== "object" || args === null) return args;
  return Object.fromEntries(
    Object.entries(args).map(([k, v]) => [k, typeof v === "string" ? maskPii(v) : v]),
  );
}

function withDeadline<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  // Drivers do not all honour abort signals; the deadline must hold either way.
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error("deadline exceeded"));
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
