/**
 * Daily spend caps on the model, per thread and per site, checked before every model call of a turn. The
 * runner loads what the thread and the site have spent today (the SpendMeter Durable Objects), adds each
 * call's usage as the turn goes, and reports the turn's total at its end; past a cap the machine drafts with
 * the offline brain and says so (`over_budget`). Pure: the caps, prices and spent amounts come in.
 */
import type { Usage } from "../brain/brain.ts";

export interface BudgetCaps {
  /** Tokens (prompt + completion) one thread may use per UTC day; 0 = no cap. */
  threadDailyTokens: number;
  /** Tokens the whole site may use per UTC day; 0 = no cap. */
  siteDailyTokens: number;
  /** Cost (in the currency of the LLM_COST_* prices) the site may spend per UTC day; 0 = no cap. */
  siteDailyCost: number;
}

export interface Spent {
  tokens: number;
  cost: number;
}

export type BudgetScope = "thread" | "site";

export const noSpend: Spent = { tokens: 0, cost: 0 };

export function costOf(usage: Usage, perMTok: { input: number; output: number }): number {
  return (usage.promptTokens * perMTok.input + usage.completionTokens * perMTok.output) / 1_000_000;
}

/** One turn's view of the budgets: what was spent before it, plus its own calls so far. */
export class TurnBudget {
  readonly #caps: BudgetCaps;
  readonly #prices: { input: number; output: number };
  readonly #before: { thread: Spent; site: Spent };
  #turn: Spent = { ...noSpend };

  constructor(
    caps: BudgetCaps,
    prices: { input: number; output: number },
    before: { thread: Spent; site: Spent },
  ) {
    this.#caps = caps;
    this.#prices = prices;
    this.#before = before;
  }

  /** The budget that is spent, if one is: checked before each model call. */
  exceeded(): BudgetScope | null {
    const thread = this.#before.thread.tokens + this.#turn.tokens;
    const siteTokens = this.#before.site.tokens + this.#turn.tokens;
    const siteCost = this.#before.site.cost + this.#turn.cost;
    if (this.#caps.threadDailyTokens > 0 && thread >= this.#caps.threadDailyTokens) return "thread";
    if (this.#caps.siteDailyTokens > 0 && siteTokens >= this.#caps.siteDailyTokens) return "site";
    if (this.#caps.siteDailyCost > 0 && siteCost >= this.#caps.siteDailyCost) return "site";
    return null;
  }

  add(usage: Usage): void {
    this.#turn = {
      tokens: this.#turn.tokens + usage.promptTokens + usage.completionTokens,
      cost: this.#turn.cost + costOf(usage, this.#prices),
    };
  }

  /** What this turn spent, to be added to the thread's and the site's meters. */
  spent(): Spent {
    return this.#turn;
  }
}

/** The UTC day a spend counts against, e.g. "2026-12-02". */
export function spendDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}
