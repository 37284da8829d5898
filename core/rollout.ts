/**
 * Rollout switches: which tools and channels are on. The environment (ENABLED_TOOLS, ENABLED_CHANNELS in
 * core/config.ts) gives the default; a switch set by an admin (stored in Postgres, db/rollout.ts) overrides
 * it for that one tool or channel. Pure: turns (durable-objects/turn-port.ts), the channel routes and the
 * Tools page all compute what is on with `effectiveRollout`.
 */
import type { SwitchKind, SwitchState } from "./contracts/ops.ts";
import { type Channel, channelSchema } from "./contracts/thread.ts";
import { type ToolName, toolNameSchema } from "./hands/registry.ts";

/** A stored switch, as db/rollout.ts reads it. */
export interface SwitchRow {
  kind: SwitchKind;
  name: string;
  enabled: boolean;
  updatedAt: Date;
  updatedBy: string;
}

export interface RolloutDefaults {
  enabledTools: readonly ToolName[];
  enabledChannels: readonly Channel[];
}

export interface Rollout {
  tools: ToolName[];
  channels: Channel[];
}

/** What is on: each tool and channel as its switch says, or as the environment says without one. */
export function effectiveRollout(defaults: RolloutDefaults, rows: readonly SwitchRow[]): Rollout {
  const on = (kind: SwitchKind, name: string, byDefault: boolean) =>
    rows.find((r) => r.kind === kind && r.name === name)?.enabled ?? byDefault;
  return {
    tools: toolNameSchema.options.filter((t) => on("tool", t, defaults.enabledTools.includes(t))),
    channels: channelSchema.options.filter((c) => on("channel", c, defaults.enabledChannels.includes(c))),
  };
}

/** One tool's or channel's switch as the Tools page and API show it. */
export function switchState(
  defaults: RolloutDefaults,
  rows: readonly SwitchRow[],
  kind: SwitchKind,
  name: string,
): SwitchState {
  const byDefault =
    kind === "tool"
      ? defaults.enabledTools.some((t) => t === name)
      : defaults.enabledChannels.some((c) => c === name);
  const row = rows.find((r) => r.kind === kind && r.name === name);
  return {
    enabled: row?.enabled ?? byDefault,
    byDefault,
    set: row ? { enabled: row.enabled, at: row.updatedAt.toISOString(), by: row.updatedBy } : null,
  };
}

/** The names a switch of this kind may have; anything else is not a switch. */
export function switchNames(kind: SwitchKind): readonly string[] {
  return kind === "tool" ? toolNameSchema.options : channelSchema.options;
}
