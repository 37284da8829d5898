/**
 * A Brain that counts its model calls and their usage, for model work outside a turn (the nightly eval,
 * queues/eval-job.ts), whose spend must count against the day's budget like a turn's. Turns count theirs
 * through core/orchestrator/budget.ts instead. With a budget, a call past the day's site cap is not made: it
 * throws `unavailable:budget`, which ends the run as failed with that code instead of spending on.
 */
import { AppError } from "../errors.ts";
import type { TurnBudget } from "../orchestrator/budget.ts";
import type { Brain, Usage } from "./brain.ts";

export interface Metered {
  /** Calls made, answered or not. */
  calls: number;
  usage: Usage;
}

export function meteredBrain(brain: Brain, budget?: TurnBudget): { brain: Brain; metered: Metered } {
  const metered: Metered = { calls: 0, usage: { promptTokens: 0, completionTokens: 0 } };
  return {
    metered,
    brain: {
      kind: brain.kind,
      hasFallback: brain.hasFallback,
      modelName: (model) => brain.modelName(model),
      async decide(input, call) {
        if (budget?.exceeded()) throw new AppError("unavailable:budget", "The day's model budget is spent.");
        metered.calls += 1;
        const decision = await brain.decide(input, call);
        budget?.add(decision.usage);
        metered.usage.promptTokens += decision.usage.promptTokens;
        metered.usage.completionTokens += decision.usage.completionTokens;
        return decision;
      },
    },
  };
}
