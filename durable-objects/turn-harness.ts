/**
 * One turn of durable-objects/turn-runner.ts on in-memory parts, for the Node tests of what the runner decides
 * (breaker reports, side effects, budgets): the offline brain or any Brain, a breaker per tool held in memory
 * with the real breaker logic, Hand ports the test supplies, and a log that keeps events. Queued side effects
 * are kept, not sent.
 */
import type { Brain, HistoryItem } from "../core/brain/brain.ts";
import { createOfflineBrain } from "../core/brain/offline-brain.ts";
import { createOfflineRouter, type OfflineRouter } from "../core/brain/offline-router.ts";
import { type AppConfig, parseConfig } from "../core/config.ts";
import type { ToolStep } from "../core/contracts/queue.ts";
import type { Identity } from "../core/contracts/thread.ts";
import { MemoryLookupQuota } from "../core/hands/memory-lookup-quota.ts";
import type { HandPorts } from "../core/hands/ports.ts";
import type { ToolName } from "../core/hands/registry.ts";
import {
  admit,
  type BreakerState,
  closedBreaker,
  defaultBreakerConfig,
  recordOutcome,
} from "../core/orchestrator/breaker.ts";
import { noSpend, type Spent } from "../core/orchestrator/budget.ts";
import { type LoggedEvent, memoryLogger } from "./thread-harness.ts";
import { runTurn, type TurnResult, type TurnServices } from "./turn-runner.ts";

/** Hand ports that find nothing and accept every side effect; a test replaces the ones it is about. */
export function quietPorts(overrides: Partial<HandPorts> = {}): HandPorts {
  return {
    kb: { search: async () => [] },
    orders: { findOwnedOrder: async () => null },
    lookups: new MemoryLookupQuota(5),
    tickets: { open: async (t) => ({ reference: t.reference, created: true }) },
    handoffs: { request: async () => ({ created: true }) },
    ...overrides,
  };
}

let router: OfflineRouter | null = null;

export function offlineBrain(config: AppConfig): Brain {
  router ??= createOfflineRouter();
  return createOfflineBrain(config.shop, router);
}

/** The shared breakers as the Breaker Durable Object keeps them, one state per tool. */
export class MemoryBreakers {
  readonly states = new Map<ToolName, BreakerState>();
  now = () => Date.now();

  for(tool: ToolName): ReturnType<TurnServices["breaker"]> {
    return {
      admit: async () => {
        const result = admit(this.states.get(tool) ?? closedBreaker, this.now(), defaultBreakerConfig);
        this.states.set(tool, result.state);
        return { allowed: result.allowed, status: result.state.status };
      },
      report: async (ok: boolean) => {
        const next = recordOutcome(
          this.states.get(tool) ?? closedBreaker,
          ok,
          this.now(),
          defaultBreakerConfig,
        );
        this.states.set(tool, next);
        return next.status;
      },
    };
  }

  status(tool: ToolName): BreakerState["status"] {
    return (this.states.get(tool) ?? closedBreaker).status;
  }
}

export interface TurnHarness {
  config: AppConfig;
  breakers: MemoryBreakers;
  queued: ToolStep[];
  logs: LoggedEvent[];
  /** Model spend per thread and for the site, as the SpendMeters would hold it. */
  spend: Map<string, Spent>;
  readonly siteSpend: Spent;
  turn(
    message: string,
    options?: { threadId?: string; identity?: Identity | null; history?: HistoryItem[] },
  ): Promise<TurnResult>;
}

/** A harness whose turns share breakers, queue and log, like the threads of one deployment. */
export function turnHarness(options: {
  ports: () => HandPorts;
  settings?: Parameters<typeof parseConfig>[0];
  brain?: (config: AppConfig) => Brain;
  services?: Partial<TurnServices>;
}): TurnHarness {
  const { config } = parseConfig({ ALLOWED_LINK_HOSTS: "fernhill.example", ...options.settings });
  const breakers = new MemoryBreakers();
  const queued: ToolStep[] = [];
  const logs: LoggedEvent[] = [];
  const brain = (options.brain ?? offlineBrain)(config);
  let turns = 0;
  const spend = new Map<string, Spent>();
  let siteSpend: Spent = noSpend;
  return {
    config,
    breakers,
    queued,
    logs,
    spend,
    get siteSpend() {
      return siteSpend;
    },
    turn(message, turnOptions = {}) {
      turns += 1;
      const threadId = turnOptions.threadId ?? `thread-${turns}`;
      return runTurn(
        {
          turnId: `turn-${turns}`,
          threadId,
          channel: "web",
          identity: turnOptions.identity ?? null,
          message,
          history: turnOptions.history ?? [],
        },
        {
          brain,
          offlineBrain: offlineBrain(config),
          spend: {
            load: async () => ({ thread: spend.get(threadId) ?? noSpend, site: siteSpend }),
            add: async (spent) => {
              const before = spend.get(threadId) ?? noSpend;
              spend.set(threadId, { tokens: before.tokens + spent.tokens, cost: before.cost + spent.cost });
              siteSpend = { tokens: siteSpend.tokens + spent.tokens, cost: siteSpend.cost + spent.cost };
            },
          },
          config,
          log: memoryLogger(logs),
          emit: () => {},
          ports: options.ports,
          breaker: (tool) => breakers.for(tool),
          knowledge: async () => ({ available: true, reason: null }),
          enqueue: async (step) => {
            queued.push(step);
          },
          ...options.services,
        },
      );
    },
  };
}
