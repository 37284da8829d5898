/**
 * The configured brain as a routing classifier for evals: with LLM_BASE_URL and LLM_MODEL set, the
 * OpenAI-compatible brain's first planning decision (the tool it calls, or "none" when it answers directly);
 * otherwise the offline brain's router. Same prompt, tool specs and temperature as a real turn.
 */

import type { Brain } from "../core/brain/brain.ts";
import { createOfflineRouter } from "../core/brain/offline-router.ts";
import { createOpenAiBrain } from "../core/brain/openai-brain.ts";
import { type RouteLabel, routeLabelSchema } from "../core/brain/route-label.ts";
import type { ShopIndex } from "../core/brain/shop-index.ts";
import { toolSpecs } from "../core/brain/tool-specs.ts";
import { type AppConfig, type LlmConfig, parseConfig, readSettings } from "../core/config.ts";
import { PLAN_TEMPERATURE } from "../core/orchestrator/machine.ts";

export interface RoutingClassifier {
  brain: string;
  classify(message: string): Promise<RouteLabel>;
}

/** `shop`: the help centre's index, which the offline router consults before calling a message out of scope. */
export function configuredClassifier(env: Record<string, unknown>, shop?: ShopIndex): RoutingClassifier {
  return classifierFor(parseConfig(readSettings(env)).config, undefined, shop);
}

/**
 * The same for a config already parsed (the Worker's nightly eval, queues/eval-job.ts, which passes its own
 * model brain to count the calls).
 */
export function classifierFor(
  config: AppConfig,
  llmBrain: (llm: LlmConfig) => Brain = (llm) => createOpenAiBrain({ ...llm, shop: config.shop }),
  shop?: ShopIndex,
): RoutingClassifier {
  if (!config.llm) {
    const router = createOfflineRouter(undefined, shop ? { shop } : {});
    const brain = shop ? "offline-router+shop" : "offline-router";
    return { brain, classify: async (message) => router.route(message).tool };
  }
  const brain = llmBrain(config.llm);
  const tools = toolSpecs(config.enabledTools);
  return {
    brain: `llm:${config.llm.primaryModel}`,
    async classify(message) {
      const decision = await brain.decide(
        { mode: "plan", history: [], message, scratch: [], tools, toolsAllowed: true, loggedIn: false },
        { model: "primary", temperature: PLAN_TEMPERATURE, signal: AbortSignal.timeout(30_000) },
      );
      if (decision.kind === "reply") return "none";
      const parsed = routeLabelSchema.safeParse(decision.calls[0]?.name);
      return parsed.success ? parsed.data : "none";
    },
  };
}
