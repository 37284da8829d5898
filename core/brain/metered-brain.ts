/**
 * A Brain that counts its model calls and their usage, for model work outside a turn (the nightly eval,
 * queues/eval-job.ts), whose spend must count against the day's budget like a turn's. Turns count theirs
 * through core/orchestrator/budget.ts instead.
 */
import type { Brain, Usage } from "./brain.ts";

export interface Metered {
  /** Calls made, answered or not. */
  calls: number;
  usage: Usage;
}

export function meteredBrain(brain: Brain): { brain: Brain; metered: Metered } {
  const metered: Metered = { calls: 0, usage: { promptTokens: 0, completionTokens: 0 } };
  return {
    metered,
    brain: {
      kind: brain.kind,
      hasFallback: brain.hasFallback,
      modelName: (model) => brain.modelName(model),
      async decide(input, call) {
        metered.calls += 1;
        const decision = await brain.decide(input, call);
        metered.usage.promptTokens += decision.usage.promptTokens;
        metered.usage.completionTokens += decision.usage.completionTokens;
        return decision;
      },
    },
  };
}
