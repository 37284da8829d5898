/**
 * The golden evals against the live configuration: queued by the nightly cron (worker/index.ts `scheduled`) and
 * by POST /api/admin/evals/run, run by the evals queue's consumer (a consumer may run for minutes, a request's
 * waitUntil may not). Routing goes through the live brain's route (evals/brain-classifier.ts, as `npm run
 * eval:routing`: the offline router, or the model's first plan), retrieval through the query the live brain's
 * first plan searches (core/brain/first-plan.ts) and agentKbSearch at the agent's top_k: the code a turn runs. The golden sets are the project's own
 * files, bundled as text (the Text rule in wrangler.jsonc). A metric more than 2 points below the previous run
 * logs `evals.regressed` (metric names and numbers, no case text) and shows on the Overview.
 */

import type { Brain } from "../core/brain/brain.ts";
import { firstPlan } from "../core/brain/first-plan.ts";
import { type Metered, meteredBrain } from "../core/brain/metered-brain.ts";
import { createOfflineBrain } from "../core/brain/offline-brain.ts";
import { createOfflineRouter } from "../core/brain/offline-router.ts";
import { createOpenAiBrain } from "../core/brain/openai-brain.ts";
import { toolSpecs } from "../core/brain/tool-specs.ts";
import { type AppConfig, loadConfig } from "../core/config.ts";
import { type EvalRunMessage, evalRunMessageSchema } from "../core/contracts/queue.ts";
import { AppError } from "../core/errors.ts";
import { SEARCH_KB_DEFAULT_TOP_K } from "../core/hands/search-kb.ts";
import { createLogger, type Logger } from "../core/log.ts";
import { costOf, noSpend, spendDay, TurnBudget } from "../core/orchestrator/budget.ts";
import { aiBindingOf } from "../core/retrieval/workers-ai-embedder.ts";
import { type Database, lazyDb } from "../db/client.ts";
import {
  claimEvalRun,
  createEvalRun,
  type EvalTrigger,
  failEvalRun,
  finishEvalRun,
  previousScores,
  recordEvalSpend,
} from "../db/eval-runs.ts";
import { agentKbSearch } from "../db/hand-ports.ts";
import { classifierFor } from "../evals/brain-classifier.ts";
import answersJsonl from "../evals/golden/answers.jsonl";
import routingJsonl from "../evals/golden/routing.jsonl";
import { regressions, runNightlyEvals } from "../evals/nightly.ts";

/** Per Brain call and per search: a slow case fails the run instead of holding the consumer. */
const CALL_TIMEOUT_MS = 30_000;

/** Records a queued run and hands it to the evals queue; the id is the run's from the start. */
export async function queueEvalRun(env: Env, trigger: EvalTrigger): Promise<string> {
  const id = crypto.randomUUID();
  const db = lazyDb(env.HYPERDRIVE.connectionString);
  try {
    await createEvalRun(db.get(), id, trigger);
  } finally {
    await db.close();
  }
  const message: EvalRunMessage = { kind: "run_evals", runId: id };
  await env.EVALS.send(message);
  return id;
}

export async function consumeEvals(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const { config } = loadConfig(env);
  const log = createLogger({ queue: batch.queue }, config.logLevel);
  for (const message of batch.messages) {
    const parsed = evalRunMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      log.error("queue.poison", { messageId: message.id });
      message.ack();
      continue;
    }
    const { runId } = parsed.data;
    const db = lazyDb(env.HYPERDRIVE.connectionString);
    try {
      if (batch.queue.endsWith("-dlq")) {
        await failEvalRun(db.get(), runId, "unavailable:retries_exhausted");
        log.error("evals.dead_lettered", { runId });
      } else await runEvalJob(env, config, runId, log);
      message.ack();
    } catch (error) {
      // Only a run that could not be recorded gets here (runEvalJob records its own failures).
      log.warn("queue.retried", { runId, error, attempt: message.attempts });
      message.retry({ delaySeconds: 30 * message.attempts });
    } finally {
      await db.close();
    }
  }
}

/** Runs one queued run to the end; a second delivery of the same run does nothing. */
export async function runEvalJob(env: Env, config: AppConfig, runId: string, log: Logger): Promise<void> {
  const db = lazyDb(env.HYPERDRIVE.connectionString);
  try {
    if (!(await claimEvalRun(db.get(), runId))) return;
    // Every model call of the run goes through this one brain, so each counts in the day's budget and none is
    // made once the site's cap is reached (the per-thread cap is for visitors' threads, not for the run).
    const model = config.llm
      ? meteredBrain(
          createOpenAiBrain({ ...config.llm, shop: config.shop }),
          new TurnBudget({ ...config.budget, threadDailyTokens: 0 }, config.costPerMTok, {
            thread: noSpend,
            site: await env.SPEND_METER.getByName(`site:${spendDay(Date.now())}`).spent(),
          }),
        )
      : null;
    try {
      await evaluate(db.get(), env, config, runId, log, model?.brain ?? null);
    } finally {
      if (model) await chargeSpend(db.get(), env, config, runId, model.metered, log);
    }
  } finally {
    await db.close();
  }
}

/** Scores the golden sets with `llm` (null: the offline brain) and records the run as succeeded or failed. */
async function evaluate(
  db: Database,
  env: Env,
  config: AppConfig,
  runId: string,
  log: Logger,
  llm: Brain | null,
): Promise<void> {
  const started = Date.now();
  const brain = llm ?? createOfflineBrain(config.shop, createOfflineRouter());
  const tools = toolSpecs(config.enabledTools);
  // Routing is scored as `npm run eval:routing` scores it: the route, not a question back for an email.
  const classifier = classifierFor(config, () => brain);
  const search = agentKbSearch(db, config, aiBindingOf(env));
  const plan = (message: string) => firstPlan(brain, tools, message, AbortSignal.timeout(CALL_TIMEOUT_MS));
  let result: Awaited<ReturnType<typeof runNightlyEvals>>;
  try {
    result = await runNightlyEvals(
      { routing: routingJsonl, answers: answersJsonl },
      {
        classify: classifier.classify,
        async search(question) {
          // The query the live brain would search, or the question when it would not search at all.
          const { query } = await plan(question);
          const hits = await search.search(query ?? question, {
            topK: SEARCH_KB_DEFAULT_TOP_K,
            channel: "web",
            signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
          });
          return hits.map((h) => h.docId);
        },
      },
    );
  } catch (error) {
    const code = error instanceof AppError ? error.code : "internal:eval_run";
    await failEvalRun(db, runId, code);
    log.error("evals.failed", { runId, code, error });
    return;
  }
  const dropped = regressions(await previousScores(db, runId), result.scores);
  await finishEvalRun(db, runId, {
    brain: classifier.brain,
    searchMode: search.mode,
    scores: result.scores,
    report: result.report,
    regressions: dropped,
  });
  log.info("evals.completed", { runId, ...result.scores, ms: Date.now() - started });
  if (dropped.length > 0) {
    log.warn("evals.regressed", {
      runId,
      metrics: dropped.map((d) => d.metric),
      worstDropPoints: Math.max(...dropped.map((d) => d.dropPoints)),
    });
  }
}

/** Adds the run's model spend to today's site meter (what turns check) and to its eval_runs row. */
async function chargeSpend(
  db: Database,
  env: Env,
  config: AppConfig,
  runId: string,
  metered: Metered,
  log: Logger,
) {
  const tokens = metered.usage.promptTokens + metered.usage.completionTokens;
  const cost = costOf(metered.usage, config.costPerMTok);
  try {
    await recordEvalSpend(db, runId, {
      modelCalls: metered.calls,
      promptTokens: metered.usage.promptTokens,
      completionTokens: metered.usage.completionTokens,
      costUsd: cost,
    });
    await env.SPEND_METER.getByName(`site:${spendDay(Date.now())}`).add({ tokens, cost });
    log.info("evals.spent", { runId, modelCalls: metered.calls, tokens, cost });
  } catch (error) {
    // The run's figures stand; only its spend is missing from today's budget.
    log.error("evals.spend_failed", { runId, modelCalls: metered.calls, tokens, error });
  }
}
