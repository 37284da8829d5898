/**
 * The Tools and Budgets reports, as GET /api/admin/tools and /api/admin/budgets answer them and the console's
 * Tools and Budgets pages render them: Postgres figures (db/tool-stats.ts, db/budgets.ts), the rollout
 * switches (db/rollout.ts, read fresh here, not from the turns' cache), and the live state of the Breaker and
 * SpendMeter Durable Objects.
 */
import type { AppConfig } from "../core/config.ts";
import type { MetricsWindow } from "../core/contracts/metrics.ts";
import { windowRange } from "../core/contracts/metrics.ts";
import {
  type BreakerStatus,
  type BudgetsReport,
  ERROR_RATE_DEFINITION,
  type ToolsReport,
} from "../core/contracts/ops.ts";
import { channelSchema } from "../core/contracts/thread.ts";
import { hands, toolNameSchema } from "../core/hands/registry.ts";
import { spendDay } from "../core/orchestrator/budget.ts";
import { switchState } from "../core/rollout.ts";
import { spendOfDay } from "../db/budgets.ts";
import type { Database } from "../db/client.ts";
import { readSwitches, recentSwitchChanges } from "../db/rollout.ts";
import { toolCallStats } from "../db/tool-stats.ts";

const DAY_MS = 86_400_000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const share = (part: number, cap: number) => (cap > 0 ? part / cap : null);

export async function toolsReport(
  env: Env,
  db: Database,
  config: AppConfig,
  window: MetricsWindow,
  now = new Date(),
): Promise<ToolsReport> {
  const { since, until } = windowRange(window, now);
  const inline = toolNameSchema.options.filter((t) => hands[t].dispatch === "inline");
  const [stats, rows, changes, breakers] = await Promise.all([
    toolCallStats(db, since, until),
    readSwitches(db),
    recentSwitchChanges(db, 20),
    Promise.all(inline.map(async (tool) => [tool, await env.BREAKER.getByName(tool).view()] as const)),
  ]);
  const breakerOf = new Map(
    breakers.map(([tool, v]): [string, BreakerStatus] => [
      tool,
      { status: v.status, since: iso(v.since), probeAt: iso(v.probeAt), recentFailures: v.recentFailures },
    ]),
  );
  const channels = channelSchema.options;
  return {
    window,
    since,
    until,
    errorRateDefinition: ERROR_RATE_DEFINITION,
    tools: toolNameSchema.options.map((tool) => ({
      tool,
      dispatch: hands[tool].dispatch,
      switch: switchState(config, rows, "tool", tool),
      breaker: breakerOf.get(tool) ?? null,
      total: stats.get(tool, "*"),
      channels: channels.map((channel) => ({ channel, ...stats.get(tool, channel) })),
    })),
    channels: channels.map((channel) => ({
      channel,
      switch: switchState(config, rows, "channel", channel),
      total: stats.get("*", channel),
    })),
    changes,
  };
}

export async function budgetsReport(
  env: Env,
  db: Database,
  config: AppConfig,
  now = Date.now(),
): Promise<BudgetsReport> {
  const day = spendDay(now);
  const dayStart = `${day}T00:00:00.000Z`;
  const caps = config.budget;
  const [site, spend, rows] = await Promise.all([
    env.SPEND_METER.getByName(`site:${day}`).spent(),
    spendOfDay(db, dayStart, caps.threadDailyTokens),
    readSwitches(db),
  ]);
  const tokenShare = share(site.tokens, caps.siteDailyTokens);
  const costShare = share(site.cost, caps.siteDailyCost);
  return {
    day,
    resetsAt: new Date(Date.parse(dayStart) + DAY_MS).toISOString(),
    caps: {
      siteDailyTokens: caps.siteDailyTokens,
      siteDailyCost: caps.siteDailyCost,
      threadDailyTokens: caps.threadDailyTokens,
    },
    site: {
      tokens: site.tokens,
      cost: site.cost,
      tokenShare,
      costShare,
      exceeded: (tokenShare ?? 0) >= 1 || (costShare ?? 0) >= 1,
    },
    channels: channelSchema.options.map((channel) => {
      const c = spend.channels.get(channel) ?? { turns: 0, tokens: 0, cost: 0, overBudgetTurns: 0 };
      return {
        channel,
        enabled: switchState(config, rows, "channel", channel).enabled,
        ...c,
        tokenShare: share(c.tokens, caps.siteDailyTokens),
        costShare: share(c.cost, caps.siteDailyCost),
      };
    }),
    threadsAtCap: spend.threadsAtCap,
    evals: {
      ...spend.evals,
      tokenShare: share(spend.evals.tokens, caps.siteDailyTokens),
      costShare: share(spend.evals.cost, caps.siteDailyCost),
    },
  };
}
