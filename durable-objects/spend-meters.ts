/**
 * The Thread's view of the spend meters (./spend-meter.ts): what a turn reads before its first model call and
 * adds at its end. Built once per Thread object by thread.ts; the caches below are why a turn costs no meter
 * round trip on its hot path. Plain TypeScript over a namespace, so it is tested in Node.
 */
import { type Spent, spendDay } from "../core/orchestrator/budget.ts";
import type { SpendMeter } from "./spend-meter.ts";

/** The part of a SpendMeter namespace this uses (a fake in tests). */
export interface SpendMeterNamespace {
  getByName(name: string): Pick<DurableObjectStub<SpendMeter>, "spent" | "add">;
}

/** How long this isolate trusts what it last learned of the site's meter (every thread of the isolate shares it). */
export const SITE_SPEND_TTL_MS = 5_000;
const siteKnown = new Map<string, { spent: Spent; at: number }>();

export interface SpendMeterOptions {
  /** Runs the meter writes after the turn has answered (ctx.waitUntil); without it `add` waits for them. */
  background?: (work: Promise<unknown>) => void;
  /** Told when a background write failed; the turn has answered by then. */
  onWriteError?: (error: unknown) => void;
}

/**
 * The meters of one thread and of the site, for the day of `now`, as a turn reads and adds to them. A turn
 * costs no meter round trip on the hot path: the thread's meter has one writer, this thread's own object, so
 * what it read once and added since is its value for the object's lifetime; the site's is re-read at most
 * every SITE_SPEND_TTL_MS per isolate (a cap may then be passed by a few seconds of other threads' spend,
 * which the next read corrects); and the writes run after the reply. Build one per Thread object.
 */
export function spendMeters(
  namespace: SpendMeterNamespace,
  threadId: string,
  now: () => number,
  options: SpendMeterOptions = {},
) {
  const threadKnown = new Map<string, Spent>();
  const names = () => {
    const day = spendDay(now());
    return { thread: `thread:${threadId}:${day}`, site: `site:${day}` };
  };
  const plus = (a: Spent, b: Spent): Spent => ({ tokens: a.tokens + b.tokens, cost: a.cost + b.cost });
  return {
    async load(): Promise<{ thread: Spent; site: Spent }> {
      const n = names();
      const at = now();
      const cachedThread = threadKnown.get(n.thread);
      const cachedSite = siteKnown.get(n.site);
      const [thread, site] = await Promise.all([
        cachedThread ?? namespace.getByName(n.thread).spent(),
        cachedSite && at - cachedSite.at < SITE_SPEND_TTL_MS
          ? cachedSite.spent
          : namespace.getByName(n.site).spent(),
      ]);
      if (!cachedThread) threadKnown.set(n.thread, thread);
      if (!cachedSite || at - cachedSite.at >= SITE_SPEND_TTL_MS) siteKnown.set(n.site, { spent: site, at });
      return { thread, site };
    },
    async add(spent: Spent): Promise<void> {
      const n = names();
      // The local view moves at once, so the thread's next turn sees this one's spend.
      const thread = threadKnown.get(n.thread);
      if (thread) threadKnown.set(n.thread, plus(thread, spent));
      const site = siteKnown.get(n.site);
      if (site) siteKnown.set(n.site, { spent: plus(site.spent, spent), at: site.at });
      const writes = Promise.all([
        namespace
          .getByName(n.thread)
          .add(spent)
          .then((total) => threadKnown.set(n.thread, total)),
        namespace
          .getByName(n.site)
          .add(spent)
          .then((total) => siteKnown.set(n.site, { spent: total, at: now() })),
      ]);
      if (!options.background) {
        await writes;
        return;
      }
      options.background(
        writes.catch((error: unknown) => {
          // A meter that missed a write is re-read from its object next time.
          threadKnown.delete(n.thread);
          siteKnown.delete(n.site);
          options.onWriteError?.(error);
        }),
      );
    },
  };
}
