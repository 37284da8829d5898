/**
 * The ops console's Tools and Budgets (`GET /api/admin/tools`, `GET /api/admin/budgets`) and the rollout
 * switches (`PUT /api/admin/switches/{kind}/{name}`): what they take and answer. Computed by db/tool-stats.ts,
 * db/budgets.ts and db/rollout.ts with the Breaker and SpendMeter objects; the console's Tools and Budgets
 * pages render the same objects.
 */
import { z } from "zod";
import { metricsWindowSchema } from "./metrics.ts";

export const toolsQuerySchema = z.strictObject({ window: metricsWindowSchema.default("24h") });

/** A rollout switch turns one tool or one channel on or off for everyone, within seconds. */
export const switchKindSchema = z.enum(["tool", "channel"]);
export type SwitchKind = z.infer<typeof switchKindSchema>;

export const switchBodySchema = z.strictObject({ enabled: z.boolean() });

/** Shown with the figure, so nobody has to guess what an error is. */
export const ERROR_RATE_DEFINITION =
  "Calls that did not bring the tool's answer (failed after their retries, dead-lettered from the queue, or " +
  "refused by an open breaker) divided by the calls that have finished; calls still queued are left out. " +
  "Latency is the call's time inside the turn (for queued tools, the time to queue it), refusals left out.";

export interface CallStats {
  calls: number;
  succeeded: number;
  /** Failed (after retries) or dead-lettered. */
  failed: number;
  /** Refused by an open breaker: the tool was not called. */
  refused: number;
  /** Queued and not settled yet. */
  pending: number;
  /** (failed + refused) / (calls - pending); null with nothing finished. */
  errorRate: number | null;
  /** Nearest-rank p95 of the call's time, in ms; null with no timed call. */
  p95Ms: number | null;
}

export interface SwitchState {
  /** What turns and routes use now. */
  enabled: boolean;
  /** From the environment (ENABLED_TOOLS, ENABLED_CHANNELS): what applies without a switch. */
  byDefault: boolean;
  /** The switch set in the console or the API; null while the default applies. */
  set: { enabled: boolean; at: string; by: string } | null;
}

export interface BreakerStatus {
  status: "closed" | "open" | "half_open";
  /** ISO time it entered this status; null for a breaker that has never tripped. */
  since: string | null;
  /** Open: when the next call goes through as a probe. */
  probeAt: string | null;
  /** Closed: failures counted in the breaker's window. */
  recentFailures: number;
}

export interface ToolHealth {
  tool: string;
  dispatch: "inline" | "queue";
  switch: SwitchState;
  /** Inline tools only: queued tools are retried by the queue and have no breaker. */
  breaker: BreakerStatus | null;
  total: CallStats;
  /** One entry per channel, every channel listed (zeros included). */
  channels: (CallStats & { channel: string })[];
}

export interface ChannelHealth {
  channel: string;
  switch: SwitchState;
  /** All tool calls of conversations on this channel. */
  total: CallStats;
}

export interface SwitchChange {
  kind: SwitchKind;
  name: string;
  from: boolean;
  to: boolean;
  /** "admin token" or the staff member's name. */
  by: string;
  at: string;
}

export interface ToolsReport {
  window: z.infer<typeof metricsWindowSchema>;
  since: string;
  until: string;
  errorRateDefinition: string;
  tools: ToolHealth[];
  channels: ChannelHealth[];
  /** The latest switch changes, newest first. */
  changes: SwitchChange[];
}

export interface Spend {
  tokens: number;
  cost: number;
}

export interface ChannelSpend extends Spend {
  channel: string;
  enabled: boolean;
  turns: number;
  /** Turns drafted offline today because a budget was spent. */
  overBudgetTurns: number;
  /** This channel's spend over the site's daily caps; null where a cap is 0 (none). */
  tokenShare: number | null;
  costShare: number | null;
}

export interface BudgetsReport {
  /** The UTC day the caps count, and when they start again. */
  day: string;
  resetsAt: string;
  caps: { siteDailyTokens: number; siteDailyCost: number; threadDailyTokens: number };
  /** What the turns check against the caps: the site's SpendMeter for today. */
  site: Spend & { tokenShare: number | null; costShare: number | null; exceeded: boolean };
  /** From turn_metrics, by the conversation's channel (the meter keeps no channel). */
  channels: ChannelSpend[];
  /** Threads that have used their whole daily token cap today. */
  threadsAtCap: number;
  /** The evals' model calls today (nightly and admin-run, eval_runs); also in the site's meter. */
  evals: Spend & { runs: number; modelCalls: number; tokenShare: number | null; costShare: number | null };
}
