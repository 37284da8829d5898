/**
 * What a thread's turn needs from the platform, built once per Thread object: the Brain for the parsed config
 * (one per isolate), the Hands' ports over the thread's database connection, the shared circuit breakers, the
 * help centre's freshness (looked up at most once a minute per isolate), the rollout switches (at most every
 * 5 s per isolate) and the tool-step queue. `turn` runs turn-runner.ts and shapes its result as the thread
 * message; `openTicket` queues the ticket for a message no attempt could answer. Used by thread.ts.
 */
import type { Brain } from "../core/brain/brain.ts";
import { createOfflineBrain } from "../core/brain/offline-brain.ts";
import { createOfflineRouter, type OfflineRouter } from "../core/brain/offline-router.ts";
import { createOpenAiBrain } from "../core/brain/openai-brain.ts";
import { createShopIndex, type ShopPassage } from "../core/brain/shop-index.ts";
import type { AppConfig } from "../core/config.ts";
import type { ToolStep } from "../core/contracts/queue.ts";
import { maskPii } from "../core/guardrails/pii.ts";
import type { LookupQuota } from "../core/hands/ports.ts";
import type { ToolName } from "../core/hands/registry.ts";
import { callReference, newId } from "../core/ids.ts";
import type { Logger } from "../core/log.ts";
import type { AiBinding } from "../core/retrieval/workers-ai-embedder.ts";
import { effectiveRollout } from "../core/rollout.ts";
import type { Database } from "../db/client.ts";
import { handPortsFor } from "../db/hand-ports.ts";
import { kbFreshness } from "../db/kb-freshness.ts";
import { visitorPassages } from "../db/kb-passages.ts";
import { type RecordedToolCall, recordQueuedCall } from "../db/record.ts";
import { currentSwitches } from "../db/rollout.ts";
import type { TicketRequest, TurnRequest } from "./conversation.ts";
import { outcomeOfTurn, type TurnOutcome } from "./turn-message.ts";
import { runTurn, type TurnServices } from "./turn-runner.ts";

const KB_STATUS_TTL_MS = 60_000;

// The offline router's index is immutable and costs tens of milliseconds to build: once per isolate, with the
// help centre's vocabulary read once too (again after a minute while the help centre is empty or unreadable).
let sharedRouter: { router: OfflineRouter; withShop: boolean; at: number } | null = null;
const brains = new WeakMap<AppConfig, Brain>();
const offlineBrains = new WeakMap<AppConfig, { router: OfflineRouter; brain: Brain }>();
let knowledgeCache: {
  at: number;
  maxAgeHours: number;
  value: { available: boolean; reason: string | null };
} | null = null;

export interface TurnPortDeps {
  config: AppConfig;
  db: () => Database;
  breaker(tool: ToolName): {
    admit(): Promise<{ allowed: boolean; status: string }>;
    report(ok: boolean): Promise<unknown>;
  };
  sendStep(step: ToolStep): Promise<void>;
  ai: AiBinding | undefined;
  /** Today's model spend of a thread and of the site (the SpendMeter Durable Objects). */
  spend(threadId: string): TurnServices["spend"];
  /** Failed get_order lookups per email, sign-in and thread (the LookupQuota Durable Objects). */
  lookups: LookupQuota;
  log: Logger;
}

export function createTurnPort(deps: TurnPortDeps): {
  turn(request: TurnRequest): Promise<TurnOutcome>;
  openTicket(request: TicketRequest): Promise<string | undefined>;
} {
  const { config } = deps;
  const enqueue = async (threadId: string, step: ToolStep, record: RecordedToolCall) => {
    await recordQueuedCall(deps.db(), threadId, record);
    await deps.sendStep(step);
  };
  return {
    async turn(request) {
      const log = deps.log.child({ turnId: request.turnId, channel: request.state.channel });
      const offlineBrain = offlineBrainFor(config, await offlineRouter(deps.db, log));
      const brain = brainFor(config, offlineBrain);
      // A tool switched off is neither offered to the Brain nor run (the machine refuses calls to it).
      const switches = await currentSwitches(deps.db, (error) => log.warn("rollout.read_failed", { error }));
      const enabledTools = effectiveRollout(config, switches).tools;
      const result = await runTurn(
        {
          turnId: request.turnId,
          threadId: request.state.thread_id,
          channel: request.state.channel,
          identity: request.state.identity,
          message: request.message,
          history: request.history,
        },
        {
          brain,
          offlineBrain,
          spend: deps.spend(request.state.thread_id),
          config: { ...config, enabledTools },
          log,
          emit: request.emit,
          // Inline tools only read; handoffs notify staff from the queue consumer.
          ports: () =>
            handPortsFor(deps.db(), config, { ai: deps.ai, lookups: deps.lookups }, async () => {}),
          breaker: deps.breaker,
          knowledge: () => knowledge(deps.db, config.kbMaxAgeHours, log),
          enqueue: (step, record) => enqueue(request.state.thread_id, step, record),
        },
      );
      request.emit({ event: "citations", data: { citations: result.reply.citations } });
      return outcomeOfTurn(
        result,
        { kind: brain.kind, model: result.metrics.model },
        { id: newId(), turnId: request.turnId, createdAt: new Date().toISOString() },
      );
    },

    async openTicket({ turnId, state, followUp }) {
      const callId = `call_${newId()}`;
      const reference = await callReference(callId);
      const args = followUp
        ? { ...followUp, priority: "normal" as const }
        : {
            email: state.identity?.email ?? null,
            subject: "A chat message the agent could not answer",
            body: "Every attempt to answer the visitor's latest message in this conversation failed; please reply to them.",
            priority: "normal" as const,
          };
      await enqueue(
        state.thread_id,
        {
          kind: "tool_step",
          callId,
          threadId: state.thread_id,
          turnId,
          tool: "create_ticket",
          args,
          channel: state.channel,
          identity: state.identity,
          enqueuedAt: new Date().toISOString(),
        },
        {
          id: callId,
          turnId,
          tool: "create_ticket",
          dispatch: "queue",
          args: { ...args, email: args.email === null ? null : maskPii(args.email) },
          result: { status: "queued", reference },
          status: "queued",
          errorCode: null,
          attempts: 1,
          latencyMs: 0,
        },
      );
      return reference;
    },
  };
}

/** One Brain per parsed config, which is one per isolate; the offline one when no model is configured. */
function brainFor(config: AppConfig, offlineBrain: Brain): Brain {
  if (!config.llm) return offlineBrain;
  let brain = brains.get(config);
  if (!brain) {
    brain = createOpenAiBrain({ ...config.llm, shop: config.shop });
    brains.set(config, brain);
  }
  return brain;
}

/** The offline brain: the Brain without a model, and the one a capped or over-budget turn drafts with. */
function offlineBrainFor(config: AppConfig, router: OfflineRouter): Brain {
  const cached = offlineBrains.get(config);
  if (cached?.router === router) return cached.brain;
  const brain = createOfflineBrain(config.shop, router);
  offlineBrains.set(config, { router, brain });
  return brain;
}

/** The offline router with the help centre's vocabulary (core/brain/shop-index.ts), or without it until it loads. */
async function offlineRouter(db: () => Database, log: Logger): Promise<OfflineRouter> {
  const now = Date.now();
  if (sharedRouter && (sharedRouter.withShop || now - sharedRouter.at < KB_STATUS_TTL_MS))
    return sharedRouter.router;
  let passages: ShopPassage[] = [];
  try {
    passages = await visitorPassages(db());
  } catch (error) {
    log.warn("kb.passages_failed", { error });
  }
  const withShop = passages.length > 0;
  const router = createOfflineRouter(undefined, withShop ? { shop: createShopIndex(passages) } : {});
  sharedRouter = { router, withShop, at: now };
  log.info("router.built", { passages: passages.length, ms: Date.now() - now });
  return router;
}

/** The help centre's freshness, looked up at most once a minute per isolate. */
async function knowledge(db: () => Database, maxAgeHours: number, log: Logger) {
  const now = Date.now();
  if (
    knowledgeCache &&
    knowledgeCache.maxAgeHours === maxAgeHours &&
    now - knowledgeCache.at < KB_STATUS_TTL_MS
  )
    return knowledgeCache.value;
  try {
    const status = await kbFreshness(db(), maxAgeHours);
    const value = { available: status.available, reason: status.reason };
    knowledgeCache = { at: now, maxAgeHours, value };
    if (!status.available) log.warn("kb.unavailable", { reason: status.reason });
    return value;
  } catch (error) {
    // Unknown is not unavailable: search_kb then runs and, if the database is down, degrades on its own.
    log.warn("kb.status_failed", { error });
    return { available: true, reason: null };
  }
}
