/**
 * The turn as a pure state machine: PLAN -> TOOL_LOOP (at most 3 calls) -> DRAFT -> GUARDRAIL -> RESPOND.
 * `transition(state, event)` returns the next state and the effects to perform, as data. The thread's Durable
 * Object performs the effects (Brain calls, tool runs, replies) and feeds their outcomes back as events; time
 * only enters through events, so every path is testable with tables in plain Node.
 *
 * The Brain is untrusted, so the machine bounds it: at most `maxModelCalls` model calls per turn (the fallback
 * counts), and a model that still asks for tools once the tool budget is spent does not get asked again: the
 * offline brain drafts from what the tools already returned. The same offline draft answers when the runner
 * reports a spent token budget. Every reply, whichever path built it, passes the output sanitizer last.
 */
import type { BrainFailure, Decision, ScratchItem } from "../brain/brain.ts";
import type { Language } from "../brain/languages.ts";
import { allowedHref } from "../contracts/links.ts";
import type { Citation, MessageMeta } from "../contracts/thread.ts";
import type { ErrorCode } from "../errors.ts";
import { checkCitations, dropUnsupportedClaims, renderCitations } from "../guardrails/citations.ts";
import type { ContentFlag } from "../guardrails/content-filter.ts";
import { leaksPrompt } from "../guardrails/prompt-leak.ts";
import { plainLabel, sanitizeOutput } from "../guardrails/sanitize.ts";
import type { Dispatch } from "../hands/define-hand.ts";
import { hands, parseToolCall, type ToolName } from "../hands/registry.ts";
import { searchKbOutput } from "../hands/search-kb.ts";
import { repliesIn } from "./replies.ts";

export interface TurnConfig {
  deadlineMs: number;
  toolTimeoutMs: number;
  llmTimeoutMs: number;
  maxToolCalls: number;
  /** Model calls per turn, the fallback's included; past it the offline brain drafts. */
  maxModelCalls: number;
  backoffMs: readonly number[];
  /** Below this much time left a tool call is not started. */
  minToolMs: number;
  /** Time kept back for drafting when a tool runs. */
  draftReserveMs: number;
  /** Below this much time left no Brain call is started. */
  minBrainMs: number;
  hasFallback: boolean;
  enabledTools: readonly ToolName[];
  allowedHosts: readonly string[];
  secrets: readonly string[];
  /** The visitor's language: the orchestrator's own sentences are said in it. Default English. */
  language?: Language;
}

export const defaultTurnConfig: Omit<
  TurnConfig,
  "hasFallback" | "enabledTools" | "allowedHosts" | "secrets"
> = {
  deadlineMs: 6000,
  toolTimeoutMs: 3000,
  llmTimeoutMs: 3000,
  maxToolCalls: 3,
  // A turn needs at most plan, three tool rounds and a redraft (5); one more for a fallback switch.
  maxModelCalls: 6,
  backoffMs: [200, 400],
  minToolMs: 250,
  draftReserveMs: 1000,
  minBrainMs: 400,
};

export type Phase = "plan" | "tool_loop" | "draft" | "guardrail" | "respond" | "done";

interface PendingCall {
  id: string;
  tool: ToolName;
  args: unknown;
  attempt: number;
}

export interface Observation {
  callId: string;
  tool: ToolName;
  ok: boolean;
  code?: ErrorCode;
  output?: unknown;
}

export interface TurnState {
  phase: Phase;
  deadlineAt: number;
  model: "primary" | "fallback";
  mode: "plan" | "draft";
  scratch: ScratchItem[];
  pending: PendingCall[];
  toolCallsUsed: number;
  strikes: number;
  retrieved: Citation[];
  observations: Observation[];
  degraded: "tool_unavailable" | "deadline" | null;
  redrafted: boolean;
  instructions?: string;
  /** Side-effecting tool calls (tickets, handoffs) accepted this turn: at most one. */
  sideEffects: number;
  /** Model calls made so far this turn. */
  modelCalls: number;
  /** Set once the model may not be called again this turn: the offline brain drafts from here on. */
  limited: Limit | null;
  language: Language;
}

/** Why the model was not called again: the tool budget, the model-call cap, or a spent token budget. */
export type Limit = "tool_calls" | "model_calls" | "budget";

export type TurnEvent =
  | { type: "started"; now: number; flag?: ContentFlag | null }
  | { type: "brain_decided"; now: number; decision: Decision }
  | { type: "brain_failed"; now: number; failure: BrainFailure }
  /** The runner refused a model call: the thread's or the site's token budget for today is spent. */
  | { type: "over_budget"; now: number }
  | {
      type: "tool_done";
      now: number;
      callId: string;
      result: { ok: true; output: unknown } | { ok: false; code: ErrorCode; retryable: boolean };
    };

export interface FinalReply {
  text: string;
  citations: Citation[];
  outcome: string;
  meta: Pick<MessageMeta, "awaiting" | "awaitingTool" | "degraded">;
  /** Why the model stopped being asked this turn, when it did. */
  limited?: Limit;
}

export type Effect =
  | {
      type: "call_brain";
      mode: "plan" | "draft";
      model: "primary" | "fallback";
      /** Ask the offline brain, never the model (a limit was reached); it drafts from the tool results. */
      offline: boolean;
      temperature: number;
      timeoutMs: number;
      toolsAllowed: boolean;
      instructions?: string;
    }
  | {
      type: "run_tool";
      callId: string;
      tool: ToolName;
      args: unknown;
      dispatch: Dispatch;
      attempt: number;
      delayMs: number;
      timeoutMs: number;
    }
  | { type: "open_ticket"; subject: string; body: string; priority: "normal" | "high" }
  | { type: "request_handoff"; reason: string }
  | { type: "respond"; reply: FinalReply };

export interface Step {
  state: TurnState;
  effects: Effect[];
}

export const PLAN_TEMPERATURE = 0.2;
export const DRAFT_TEMPERATURE = 0.5;

export function initialState(now: number, config: TurnConfig): TurnState {
  return {
    phase: "plan",
    deadlineAt: now + config.deadlineMs,
    model: "primary",
    mode: "plan",
    scratch: [],
    pending: [],
    toolCallsUsed: 0,
    strikes: 0,
    retrieved: [],
    observations: [],
    degraded: null,
    redrafted: false,
    sideEffects: 0,
    modelCalls: 0,
    limited: null,
    language: config.language ?? "en",
  };
}

export function transition(state: TurnState, event: TurnEvent, config: TurnConfig): Step {
  if (state.phase === "done") return { state, effects: [] };
  const step = next(state, event, config);
  // Whichever path built a reply (a draft, a fixed sentence, rendered citations), it leaves sanitized.
  const effects = step.effects.map((e) =>
    e.type === "respond" ? { ...e, reply: guardReply(e.reply, config) } : e,
  );
  return { state: step.state, effects };
}

/** The last look at any reply: sanitized, and never a quote of the system prompt, whoever asked for it. */
function guardReply(reply: FinalReply, config: TurnConfig): FinalReply {
  const text = sanitizeOutput(reply.text, config);
  if (!leaksPrompt(text)) return { ...reply, text };
  return {
    ...reply,
    text: repliesIn(config.language).promptLeak,
    citations: [],
    outcome: "refused:prompt_leak",
  };
}

function next(state: TurnState, event: TurnEvent, config: TurnConfig): Step {
  switch (event.type) {
    case "started":
      // The content filter answers before any model sees the message, and offers a person.
      if (event.flag) {
        const text = {
          self_harm: repliesIn(state.language).selfHarm,
          abuse: repliesIn(state.language).abuse,
          prompt_leak: repliesIn(state.language).promptLeak,
        }[event.flag];
        return {
          state: { ...state, phase: "done" },
          effects: [respond(text, [], `filtered:${event.flag}`, {})],
        };
      }
      return callBrain({ ...state, phase: "plan", mode: "plan" }, event.now, config);
    case "brain_decided":
      return onDecision(state, event.decision, event.now, config);
    case "brain_failed":
      return onBrainFailure(state, event.failure, event.now, config);
    case "over_budget":
      return callBrain(limit(state, "budget"), event.now, config);
    case "tool_done":
      return onToolDone(state, event, config);
    default: {
      const unreachable: never = event;
      throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
    }
  }
}

/** No more model calls this turn: the offline brain drafts from what the tools returned. */
function limit(state: TurnState, why: Limit): TurnState {
  return { ...state, limited: state.limited ?? why, mode: "draft", phase: "draft" };
}

function callBrain(state: TurnState, now: number, config: TurnConfig): Step {
  const left = state.deadlineAt - now;
  if (left < config.minBrainMs)
    return finish(state, repliesIn(state.language).timedOut, "degraded:deadline", { degraded: "deadline" });
  const capped =
    state.limited === null && state.modelCalls >= config.maxModelCalls ? limit(state, "model_calls") : state;
  const offline = capped.limited !== null;
  const toolsAllowed =
    !offline &&
    capped.toolCallsUsed < config.maxToolCalls &&
    left >= config.minToolMs + config.draftReserveMs;
  return {
    state: offline ? capped : { ...capped, modelCalls: capped.modelCalls + 1 },
    effects: [
      {
        type: "call_brain",
        mode: capped.mode,
        model: capped.model,
        offline,
        temperature: capped.mode === "plan" ? PLAN_TEMPERATURE : DRAFT_TEMPERATURE,
        timeoutMs: Math.min(config.llmTimeoutMs, left),
        toolsAllowed,
        ...(capped.instructions ? { instructions: capped.instructions } : {}),
      },
    ],
  };
}

function onDecision(state: TurnState, decision: Decision, now: number, config: TurnConfig): Step {
  if (decision.kind === "reply") return guardrail(state, decision, now, config);
  // Tool calls from a draft that may not use tools (offline, or past every limit) end the turn here.
  if (state.limited !== null) return finishLimited(state);

  const parsed = decision.calls.map((call) => parseToolCall(call, config.enabledTools));
  const scratch: ScratchItem[] = [
    ...state.scratch,
    ...decision.calls.map((c) => ({ kind: "call" as const, id: c.id, name: c.name, arguments: c.arguments })),
  ];
  const invalid = parsed.filter((p) => !p.ok);
  if (invalid.length > 0) {
    const strikes = state.strikes + 1;
    if (strikes >= 2) {
      return {
        state: { ...state, scratch, strikes, phase: "done" },
        effects: [
          {
            type: "request_handoff",
            reason: "The assistant could not form a valid tool call twice in a row.",
          },
          respond(repliesIn(state.language).handedOffAfterErrors, [], "handoff:invalid_tool_call", {}),
        ],
      };
    }
    // Every call of the rejected message gets an answer: the API requires one result per call id.
    const results: ScratchItem[] = parsed.map((p) => ({
      kind: "result",
      id: p.id,
      name: p.ok ? p.tool : p.name,
      content: JSON.stringify(
        p.ok ? { error: "not run: another call in this step was invalid" } : { error: p.problem },
      ),
    }));
    return callBrain({ ...state, scratch: [...scratch, ...results], strikes }, now, config);
  }

  const room = config.maxToolCalls - state.toolCallsUsed;
  const valid = parsed.filter((p): p is Extract<typeof p, { ok: true }> => p.ok);
  const inBudget = valid.slice(0, Math.max(0, room));
  // One side effect (a ticket or a handoff) per turn: a Brain told to open fifty tickets opens one.
  let sideEffects = state.sideEffects;
  const accepted = inBudget.filter((p) => {
    if (hands[p.tool].dispatch !== "queue") return true;
    sideEffects += 1;
    return sideEffects <= 1;
  });
  const refused: ScratchItem[] = valid
    .filter((p) => !accepted.includes(p))
    .map((p) => ({
      kind: "result",
      id: p.id,
      name: p.tool,
      content: JSON.stringify({
        error: inBudget.includes(p)
          ? "not run: one ticket or handoff per turn, and this turn already has one"
          : "not run: the limit of tool calls for this turn was reached",
      }),
    }));
  if (accepted.length === 0 && inBudget.length > 0) {
    // Only further side effects were asked for: draft from what is known.
    return callBrain(
      { ...state, scratch: [...scratch, ...refused], phase: "draft", mode: "draft" },
      now,
      config,
    );
  }
  if (accepted.length === 0) {
    // The tool budget is spent and the model still wants tools: it is not asked again.
    return callBrain(limit({ ...state, scratch: [...scratch, ...refused] }, "tool_calls"), now, config);
  }
  const pending = accepted.map((p) => ({ id: p.id, tool: p.tool, args: p.args, attempt: 1 }));
  return nextTool(
    {
      ...state,
      phase: "tool_loop",
      scratch: [...scratch, ...refused],
      pending,
      toolCallsUsed: state.toolCallsUsed + accepted.length,
      sideEffects: Math.min(sideEffects, 1),
    },
    now,
    config,
    0,
  );
}

function nextTool(state: TurnState, now: number, config: TurnConfig, delayMs: number): Step {
  const [call] = state.pending;
  if (!call) return callBrain({ ...state, phase: "draft", mode: "draft" }, now, config);
  const left = state.deadlineAt - now - delayMs;
  const timeoutMs = Math.min(config.toolTimeoutMs, left - config.draftReserveMs);
  if (timeoutMs < config.minToolMs) {
    return recordFailure({ ...state, degraded: "deadline" }, call, "timeout:deadline", now, config);
  }
  return {
    state,
    effects: [
      {
        type: "run_tool",
        callId: call.id,
        tool: call.tool,
        args: call.args,
        dispatch: hands[call.tool].dispatch,
        attempt: call.attempt,
        delayMs,
        timeoutMs,
      },
    ],
  };
}

function onToolDone(
  state: TurnState,
  event: Extract<TurnEvent, { type: "tool_done" }>,
  config: TurnConfig,
): Step {
  const [call, ...rest] = state.pending;
  if (!call || call.id !== event.callId) return { state, effects: [] };
  if (event.result.ok) {
    const output = event.result.output;
    const retrieved =
      call.tool === "search_kb" ? labelResults(output, state.retrieved, config.allowedHosts) : null;
    const content = retrieved ? retrieved.forBrain : output;
    return nextTool(
      {
        ...state,
        pending: rest,
        retrieved: retrieved ? retrieved.all : state.retrieved,
        observations: [...state.observations, { callId: call.id, tool: call.tool, ok: true, output }],
        scratch: [
          ...state.scratch,
          { kind: "result", id: call.id, name: call.tool, content: JSON.stringify(content) },
        ],
      },
      event.now,
      config,
      0,
    );
  }
  if (event.result.code.startsWith("invalid_input:")) return refusedInput(state, call, event, config);
  const delay = config.backoffMs[call.attempt - 1];
  if (event.result.retryable && delay !== undefined) {
    const retried = { ...state, pending: [{ ...call, attempt: call.attempt + 1 }, ...rest] };
    const left = state.deadlineAt - event.now - delay;
    if (Math.min(config.toolTimeoutMs, left - config.draftReserveMs) >= config.minToolMs) {
      return nextTool(retried, event.now, config, delay);
    }
  }
  const degraded = event.result.code.startsWith("timeout") ? "deadline" : "tool_unavailable";
  return recordFailure(
    { ...state, degraded: state.degraded ?? degraded },
    call,
    event.result.code,
    event.now,
    config,
  );
}

/**
 * The tool answered, but could not use these arguments (the caller's data, not the tool's health): the Brain
 * hears so and asks the visitor; no degrade mode and no ticket, since nothing is down.
 */
function refusedInput(
  state: TurnState,
  call: PendingCall,
  event: Extract<TurnEvent, { type: "tool_done" }>,
  config: TurnConfig,
): Step {
  const code = event.result.ok ? "invalid_input:tool" : event.result.code;
  const error =
    code === "invalid_input:email"
      ? "Not run: a ticket may only go to an email address the visitor gave in this conversation. Ask the visitor which email address the team should reply to."
      : "The tool could not use these arguments. Ask the visitor to check what they wrote.";
  return skipCall(state, call, code, error, event.now, config);
}

function recordFailure(
  state: TurnState,
  call: PendingCall,
  code: ErrorCode,
  now: number,
  config: TurnConfig,
): Step {
  const error = "This tool is unavailable right now. Say what you know and that the team will follow up.";
  return skipCall(state, call, code, error, now, config);
}

/** Ends the first pending call without a result: observed as failed, and the Brain told why in `error`. */
function skipCall(
  state: TurnState,
  call: PendingCall,
  code: ErrorCode,
  error: string,
  now: number,
  config: TurnConfig,
): Step {
  const [, ...rest] = state.pending;
  return nextTool(
    {
      ...state,
      pending: rest,
      observations: [...state.observations, { callId: call.id, tool: call.tool, ok: false, code }],
      scratch: [
        ...state.scratch,
        { kind: "result", id: call.id, name: call.tool, content: JSON.stringify({ error }) },
      ],
    },
    now,
    config,
    0,
  );
}

function onBrainFailure(state: TurnState, _failure: BrainFailure, now: number, config: TurnConfig): Step {
  if (state.limited === null && state.model === "primary" && config.hasFallback) {
    return callBrain({ ...state, model: "fallback" }, now, config);
  }
  return finish(state, repliesIn(state.language).brainUnavailable, "degraded:llm_failed", {
    ticket: "The assistant could not answer.",
  });
}

/** GUARDRAIL: sanitize, then check citations; one redraft if they fail, otherwise drop the unsupported claims. */
function guardrail(
  state: TurnState,
  decision: Extract<Decision, { kind: "reply" }>,
  now: number,
  config: TurnConfig,
): Step {
  const text = sanitizeOutput(decision.text, config);
  const kbUsed = state.retrieved.length > 0;
  const check = checkCitations(text, state.retrieved, kbUsed);
  const meta = { awaiting: decision.awaiting, awaitingTool: decision.awaitingTool };
  const answered = state.limited ? `answered:limited_${state.limited}` : "answered";
  if (check.passed) return finishWithDegrade(state, text, check.cited, answered, meta);

  if (!state.redrafted && state.deadlineAt - now >= config.minBrainMs + config.minToolMs) {
    const refs = state.retrieved.map((c) => c.ref).join(", ");
    return callBrain(
      {
        ...state,
        phase: "draft",
        mode: "draft",
        redrafted: true,
        instructions: `Your previous answer did not cite its sources correctly. Answer again using only the passages ${refs}, and cite each fact with its marker, e.g. [S1]. If they do not answer the question, say so.`,
      },
      now,
      config,
    );
  }
  const kept = dropUnsupportedClaims(text, state.retrieved);
  const recheck = checkCitations(kept, state.retrieved, kbUsed);
  if (recheck.passed && kept.length > 0)
    return finishWithDegrade(state, kept, recheck.cited, "answered:claims_dropped", meta);
  return finishWithDegrade(state, repliesIn(state.language).notConfirmed, [], "uncited", {});
}

/** A limited turn whose offline draft still ended in tool calls: a fixed answer, and no ticket to spam. */
function finishLimited(state: TurnState): Step {
  return {
    state: { ...state, phase: "done" },
    effects: [
      respond(
        repliesIn(state.language).notConfirmed,
        [],
        `limited:${state.limited}`,
        {},
        state.limited,
        state.language,
      ),
    ],
  };
}

function finishWithDegrade(
  state: TurnState,
  text: string,
  cited: Citation[],
  outcome: string,
  meta: FinalReply["meta"],
): Step {
  if (!state.degraded) {
    return {
      state: { ...state, phase: "done" },
      effects: [respond(renderCitations(text, cited), cited, outcome, meta, state.limited, state.language)],
    };
  }
  return finish(
    state,
    `${renderCitations(text, cited)}\n\n${repliesIn(state.language).followUp}`,
    `degraded:${state.degraded}`,
    {
      citations: cited,
    },
  );
}

function finish(
  state: TurnState,
  text: string,
  outcome: string,
  options: { degraded?: TurnState["degraded"]; ticket?: string; citations?: Citation[] },
): Step {
  const reason = options.ticket ?? describeDegrade(options.degraded ?? state.degraded, state.observations);
  const effects: Effect[] = [];
  // A ticket or handoff queued this turn already reaches the team: no second side effect.
  const queued = state.observations.some((o) => o.ok && hands[o.tool].dispatch === "queue");
  if (reason && !queued) {
    effects.push({
      type: "open_ticket",
      subject: "Follow-up needed on a chat",
      body: reason,
      priority: "normal",
    });
  }
  effects.push(
    respond(
      text,
      options.citations ?? [],
      outcome,
      reason ? { degraded: true } : {},
      state.limited,
      state.language,
    ),
  );
  return { state: { ...state, phase: "done" }, effects };
}

function describeDegrade(degraded: TurnState["degraded"], observations: Observation[]): string | null {
  if (!degraded) return null;
  const failed = observations.filter((o) => !o.ok).map((o) => `${o.tool} (${o.code})`);
  const what = failed.length > 0 ? `Tools that failed: ${failed.join(", ")}.` : "The turn ran out of time.";
  return `The assistant answered in degrade mode (${degraded}). ${what} Please check and follow up.`;
}

function respond(
  text: string,
  citations: Citation[],
  outcome: string,
  meta: FinalReply["meta"],
  limited: Limit | null = null,
  language: Language = "en",
): Effect {
  const clean: FinalReply["meta"] = {};
  if (meta.awaiting) clean.awaiting = meta.awaiting;
  if (meta.awaitingTool) clean.awaitingTool = meta.awaitingTool;
  if (meta.degraded) clean.degraded = true;
  // A spent budget is said in the reply itself; the other limits only show in the outcome.
  const shown = limited === "budget" ? `${repliesIn(language).limitedMode}\n\n${text}` : text;
  return {
    type: "respond",
    reply: { text: shown, citations, outcome, meta: clean, ...(limited ? { limited } : {}) },
  };
}

/**
 * Gives each new search result a turn-wide ref (S1, S2, ...) and returns what the Brain sees. A citation's
 * title is plain text, and its URL is kept only on an allowed host (otherwise the source is named, not linked).
 */
function labelResults(
  output: unknown,
  known: Citation[],
  allowedHosts: readonly string[],
): { all: Citation[]; forBrain: unknown } | null {
  const parsed = searchKbOutput.safeParse(output);
  if (!parsed.success) return null;
  const all = [...known];
  const forBrain = parsed.data.results.map((r) => {
    let citation = all.find((c) => c.chunkId === r.chunk_id);
    if (!citation) {
      citation = {
        ref: `S${all.length + 1}`,
        chunkId: r.chunk_id,
        docId: r.doc_id,
        title: plainLabel(r.title),
        url: allowedHref(r.url, allowedHosts) ?? "",
      };
      all.push(citation);
    }
    return {
      ref: citation.ref,
      title: r.title,
      section: r.section,
      url: r.url,
      language: r.language,
      text: r.snippet,
    };
  });
  return { all, forBrain: { results: forBrain } };
}
