/**
 * The ops Overview (`GET /api/admin/metrics`): the query it takes and the figures it answers with. The
 * figures are computed in Postgres by db/metrics.ts; the console's Overview page renders the same object.
 */
import { z } from "zod";

export const metricsWindowSchema = z.enum(["24h", "7d", "30d"]);
export type MetricsWindow = z.infer<typeof metricsWindowSchema>;

export const WINDOW_HOURS: Record<MetricsWindow, number> = { "24h": 24, "7d": 24 * 7, "30d": 24 * 30 };

/** The window ending now, as the ISO bounds the admin queries take. */
export function windowRange(window: MetricsWindow, now: Date): { since: string; until: string } {
  return {
    since: new Date(now.getTime() - WINDOW_HOURS[window] * 3_600_000).toISOString(),
    until: now.toISOString(),
  };
}

export const metricsQuerySchema = z.strictObject({ window: metricsWindowSchema.default("24h") });

/** Shown with the figure, so nobody has to guess what "resolved" counts. */
export const RESOLUTION_DEFINITION =
  "A conversation started in the window is resolved when the agent's last reply answered (outcome answered), " +
  "it never went to a person (no handoff, no staff reply), and the visitor sent no new message within 24 hours " +
  "of that reply. Conversations whose last answer is less than 24 hours old are pending and left out of the rate.";

export const turnKindSchema = z.enum(["none", "knowledge", "order", "other"]);
export type TurnKind = z.infer<typeof turnKindSchema>;

export interface LatencyByKind {
  /** none: no tool; knowledge: search_kb; order: get_order (wins over search_kb); other: only ticket/handoff tools. */
  kind: TurnKind;
  turns: number;
  /** Nearest-rank percentiles of the whole turn's time, in ms. */
  p50Ms: number;
  p95Ms: number;
}

export interface MetricsDay {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  conversations: number;
  resolved: number;
  handoffs: number;
  turns: number;
  degraded: number;
  failed: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  thumbsUp: number;
  thumbsDown: number;
}

export interface Metrics {
  window: MetricsWindow;
  since: string;
  until: string;
  resolutionDefinition: string;
  conversations: number;
  resolved: number;
  /** Conversations not decided yet: their last answer is under 24 hours old. */
  pending: number;
  handoffs: number;
  /** resolved / (conversations - pending); null with nothing decided. */
  resolutionRate: number | null;
  /** handoffs / conversations; null without conversations. */
  handoffRate: number | null;
  /** Turns the agent ran (turn_metrics) plus turns that failed outright (the generic apology). */
  turns: number;
  degradedTurns: number;
  failedTurns: number;
  thumbsUp: number;
  thumbsDown: number;
  /** up / (up + down); null without ratings. */
  csat: number | null;
  latency: LatencyByKind[];
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** All model spend of the window divided by its resolved conversations; null with none resolved. */
  costPerResolvedUsd: number | null;
  days: MetricsDay[];
}
