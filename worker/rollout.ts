/**
 * The rollout switches at the Worker's edge: `requireChannel` refuses a request on a switched-off channel with
 * 403 forbidden:channel (the chat route and Slack's routes call it before any other work; the email handler
 * asks `channelEnabled` and rejects the message), and `changeSwitch`
 * sets one switch for the admin API and the console's Tools form. Reads go through db/rollout.ts's per-isolate
 * cache, so a change made anywhere applies here within ROLLOUT_TTL_MS.
 */
import type { Context } from "hono";
import type { AppConfig } from "../core/config.ts";
import type { SwitchKind } from "../core/contracts/ops.ts";
import type { Channel } from "../core/contracts/thread.ts";
import { AppError } from "../core/errors.ts";
import { createLogger, type Logger } from "../core/log.ts";
import { switchNames, switchState } from "../core/rollout.ts";
import { type Database, lazyDb } from "../db/client.ts";
import { channelOn, ROLLOUT_TTL_MS, type SwitchActor, setSwitch } from "../db/rollout.ts";
import type { AppEnv } from "./app.ts";

const CHANNEL_NAMES: Record<Channel, string> = { web: "The web chat", slack: "Slack", email: "Email" };

export async function requireChannel(c: Context<AppEnv>, channel: Channel): Promise<void> {
  const log = createLogger({ requestId: c.get("requestId") ?? null }, c.var.config.logLevel);
  const on = await channelEnabled(c.env.HYPERDRIVE.connectionString, c.var.config, channel, log, (work) =>
    c.executionCtx.waitUntil(work),
  );
  if (!on)
    throw new AppError("forbidden:channel", `${CHANNEL_NAMES[channel]} is switched off for this shop.`);
}

/** Whether a channel is on now (its switch, or the environment's default); for handlers outside Hono too. */
export async function channelEnabled(
  connectionString: string,
  config: AppConfig,
  channel: Channel,
  log: Logger,
  background: (work: Promise<unknown>) => void,
): Promise<boolean> {
  const db = lazyDb(connectionString);
  try {
    return await channelOn(db.get, config, channel, (error) => log.warn("rollout.read_failed", { error }));
  } finally {
    background(db.close());
  }
}

export interface SwitchChanged {
  kind: SwitchKind;
  name: string;
  from: boolean;
  to: boolean;
  /** Every isolate has it within this many seconds. */
  effectiveWithinSeconds: number;
}

export async function changeSwitch(
  db: Database,
  config: AppConfig,
  target: { kind: SwitchKind; name: string; enabled: boolean },
  actor: SwitchActor,
  log: Logger,
): Promise<SwitchChanged> {
  const { kind, name, enabled } = target;
  if (!switchNames(kind).includes(name))
    throw new AppError("not_found:switch", `No ${kind} switch called ${JSON.stringify(name.slice(0, 40))}.`);
  const byDefault = switchState(config, [], kind, name).byDefault;
  const { from, to } = await setSwitch(db, { kind, name, enabled, byDefault, actor });
  log.info("rollout.switched", {
    kind,
    name,
    from,
    to,
    actor: actor.kind,
    actorId: actor.id,
  });
  return { kind, name, from, to, effectiveWithinSeconds: ROLLOUT_TTL_MS / 1000 };
}
