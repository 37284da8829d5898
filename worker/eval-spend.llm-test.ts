import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../core/config.ts";
import type { BudgetsReport } from "../core/contracts/ops.ts";
import { createLogger } from "../core/log.ts";
import { type Spent, spendDay } from "../core/orchestrator/budget.ts";
import { createEvalRun } from "../db/eval-runs.ts";
import { runEvalJob } from "../queues/eval-job.ts";
import { call } from "../test-tools/agent-api.ts";
import { query } from "../test-tools/remote-controls.ts";

const ADMIN = { authorization: "Bearer test-admin-token-0123456789abcdef" };

const budgets = async () =>
  (await (await call("/api/admin/budgets", { headers: ADMIN })).json()) as BudgetsReport;

describe("the eval's model calls", () => {
  it("count in the day's budget: the site's meter and the Budgets report", async () => {
    const before = await budgets();
    const runId = crypto.randomUUID();
    await query((db) => createEvalRun(db, runId, "admin"));
    // The real meters, with every add seen: other files' turns add to the same site meter meanwhile.
    const added: (Spent & { name: string })[] = [];
    const meters = {
      getByName(name: string) {
        const meter = env.SPEND_METER.getByName(name);
        return {
          spent: () => meter.spent(),
          async add(spent: Spent) {
            added.push({ name, ...spent });
            return meter.add(spent);
          },
        };
      },
    };
    const { config } = loadConfig(env);
    await runEvalJob(
      { ...env, SPEND_METER: meters } as unknown as Env,
      config,
      runId,
      createLogger({}, "warn"),
    );

    const [run] = await query((db) =>
      db.execute<{
        status: string;
        model_calls: number;
        tokens: number;
        report: { routing: { cases: number }; retrieval: { cases: number } };
      }>(
        sql`select status, model_calls, prompt_tokens + completion_tokens as tokens, report from eval_runs where id = ${runId}`,
      ),
    );
    expect(run?.status).toBe("succeeded");
    // One first plan per routing case and per retrieval case, all through the fake model.
    const cases = (run?.report.routing.cases ?? 0) + (run?.report.retrieval.cases ?? 0);
    expect(cases).toBeGreaterThan(50);
    expect(run?.model_calls).toBe(cases);
    const tokens = Number(run?.tokens);
    expect(tokens).toBeGreaterThan(0);
    // No LLM_COST_* prices here, so the cost is 0.
    expect(added).toEqual([{ name: `site:${spendDay(Date.now())}`, tokens, cost: 0 }]);

    const after = await budgets();
    expect(after.evals.modelCalls - before.evals.modelCalls).toBe(cases);
    expect(after.evals.tokens - before.evals.tokens).toBe(tokens);
    expect(after.evals.runs - before.evals.runs).toBe(1);
    expect(after.site.tokens - before.site.tokens).toBeGreaterThanOrEqual(tokens);
  });
});
