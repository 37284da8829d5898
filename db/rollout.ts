/**
 * The rollout switches in Postgres: read them, set one (with its audit row, in one transaction), list the
 * latest changes, and `currentSwitches`, the per-isolate cache that turns and channel routes read (at most one
 * query per ROLLOUT_TTL_MS per isolate, so a switch takes effect everywhere within that time), with
 * `channelOn` over it.
 */
import { and, desc, eq } from "drizzle-orm";
import type { SwitchChange, SwitchKind } from "../core/contracts/ops.ts";
import { switchKindSchema } from "../core/contracts/ops.ts";
import type { Channel } from "../core/contracts/thread.ts";
import { effectiveRollout, type RolloutDefaults, type SwitchRow } from "../core/rollout.ts";
import type { Database } from "./client.ts";
import { guarded } from "./db-error.ts";
import { rolloutSwitchChanges, rolloutSwitches } from "./schema.ts";

/** How long an isolate trusts the switches it last read. */
export const ROLLOUT_TTL_MS = 5_000;

export interface SwitchActor {
  kind: "admin_token" | "staff";
  id: string | null;
  name: string;
}

export function readSwitches(db: Database): Promise<SwitchRow[]> {
  return guarded("rollout.read", async () => {
    const rows = await db.select().from(rolloutSwitches);
    return rows.map((r) => ({ ...r, kind: switchKindSchema.parse(r.kind) }));
  });
}

/** Sets one switch and records who changed it from what; `byDefault` is the environment's value. */
export function setSwitch(
  db: Database,
  change: { kind: SwitchKind; name: string; enabled: boolean; byDefault: boolean; actor: SwitchActor },
): Promise<{ from: boolean; to: boolean }> {
  return guarded("rollout.set", () =>
    db.transaction(async (tx) => {
      const [before] = await tx
        .select({ enabled: rolloutSwitches.enabled })
        .from(rolloutSwitches)
        .where(switchKey(change.kind, change.name))
        .for("update");
      const from = before?.enabled ?? change.byDefault;
      const at = new Date();
      await tx
        .insert(rolloutSwitches)
        .values({
          kind: change.kind,
          name: change.name,
          enabled: change.enabled,
          updatedAt: at,
          updatedBy: change.actor.name,
        })
        .onConflictDoUpdate({
          target: [rolloutSwitches.kind, rolloutSwitches.name],
          set: { enabled: change.enabled, updatedAt: at, updatedBy: change.actor.name },
        });
      await tx.insert(rolloutSwitchChanges).values({
        kind: change.kind,
        name: change.name,
        fromEnabled: from,
        toEnabled: change.enabled,
        actorKind: change.actor.kind,
        actorId: change.actor.id,
        actorName: change.actor.name,
        createdAt: at,
      });
      return { from, to: change.enabled };
    }),
  );
}

export function recentSwitchChanges(db: Database, limit: number): Promise<SwitchChange[]> {
  return guarded("rollout.changes", async () => {
    const rows = await db
      .select()
      .from(rolloutSwitchChanges)
      .orderBy(desc(rolloutSwitchChanges.createdAt))
      .limit(limit);
    return rows.map((r) => ({
      kind: switchKindSchema.parse(r.kind),
      name: r.name,
      from: r.fromEnabled,
      to: r.toEnabled,
      by: r.actorName,
      at: r.createdAt.toISOString(),
    }));
  });
}

let known: { rows: SwitchRow[]; at: number } | null = null;

/**
 * The switches as this isolate knows them, re-read at most every ROLLOUT_TTL_MS. If the database cannot be
 * read, the last rows read stand (or none: the environment's defaults) until the next try, and `onError`
 * hears of it; the caller's work goes on.
 */
export async function currentSwitches(
  db: () => Database,
  onError: (error: unknown) => void,
  now = Date.now(),
): Promise<SwitchRow[]> {
  if (known && now - known.at < ROLLOUT_TTL_MS) return known.rows;
  try {
    known = { rows: await readSwitches(db()), at: now };
  } catch (error) {
    onError(error);
    known = { rows: known?.rows ?? [], at: now };
  }
  return known.rows;
}

/**
 * Whether a channel is on now (its switch as `currentSwitches` knows it, or the environment's default): the
 * channel routes, the email handler, staff notifications and the Slack relay all ask this.
 */
export async function channelOn(
  db: () => Database,
  defaults: RolloutDefaults,
  channel: Channel,
  onError: (error: unknown) => void,
): Promise<boolean> {
  return effectiveRollout(defaults, await currentSwitches(db, onError)).channels.includes(channel);
}

function switchKey(kind: SwitchKind, name: string) {
  return and(eq(rolloutSwitches.kind, kind), eq(rolloutSwitches.name, name));
}
