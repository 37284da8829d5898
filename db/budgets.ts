/**
 * Today's model spend by channel from turn_metrics (the SpendMeter objects keep the site's and each thread's
 * total, not the channel): turns, tokens, cost, turns drafted offline because a budget was spent, and how many
 * threads used their whole daily cap; and the evals' model spend from eval_runs (no turn, no channel). Read by GET /api/admin/budgets and the console's Budgets page.
 */
import { sql } from "drizzle-orm";
import type { Database } from "./client.ts";
import { guarded } from "./db-error.ts";

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

export interface DaySpend {
  channels: Map<string, { turns: number; tokens: number; cost: number; overBudgetTurns: number }>;
  threadsAtCap: number;
  /** The evals that finished today (eval_runs): their model calls, tokens and cost. */
  evals: { runs: number; modelCalls: number; tokens: number; cost: number };
}

/** `dayStart` is the UTC midnight the day's caps count from; `threadCap` 0 means no thread cap. */
export async function spendOfDay(db: Database, dayStart: string, threadCap: number): Promise<DaySpend> {
  const [byChannel, atCap, evals] = await guarded("budgets.day", () =>
    Promise.all([
      db.execute<Row>(sql`
        select channel, count(*) as turns, sum(prompt_tokens + completion_tokens) as tokens,
          sum(cost_usd) as cost,
          count(*) filter (where outcome in ('answered:limited_budget', 'limited:budget')) as over_budget
        from turn_metrics
        where created_at >= ${dayStart}::timestamptz and created_at < ${dayStart}::timestamptz + interval '1 day'
        group by channel`),
      threadCap > 0
        ? db.execute<Row>(sql`
            select count(*) as n from (
              select thread_id from turn_metrics
              where created_at >= ${dayStart}::timestamptz
                and created_at < ${dayStart}::timestamptz + interval '1 day'
              group by thread_id
              having sum(prompt_tokens + completion_tokens) >= ${threadCap}
            ) capped`)
        : Promise.resolve([{ n: 0 }]),
      db.execute<Row>(sql`
        select count(*) filter (where model_calls > 0) as runs, sum(model_calls) as calls,
          sum(prompt_tokens + completion_tokens) as tokens, sum(cost_usd) as cost
        from eval_runs
        where finished_at >= ${dayStart}::timestamptz and finished_at < ${dayStart}::timestamptz + interval '1 day'`),
    ]),
  );
  const channels: DaySpend["channels"] = new Map();
  for (const row of byChannel) {
    channels.set(String(row.channel), {
      turns: num(row.turns),
      tokens: num(row.tokens),
      cost: num(row.cost),
      overBudgetTurns: num(row.over_budget),
    });
  }
  const e = evals[0];
  return {
    channels,
    threadsAtCap: num(atCap[0]?.n),
    evals: { runs: num(e?.runs), modelCalls: num(e?.calls), tokens: num(e?.tokens), cost: num(e?.cost) },
  };
}
