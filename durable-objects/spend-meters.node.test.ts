// The Thread's cached view of the spend meters: what a turn reads and adds without a round trip, and when it
// goes back to the meter objects (a new object, the site's TTL, a failed write).
import { describe, expect, it } from "vitest";
import { noSpend, type Spent } from "../core/orchestrator/budget.ts";
import { SITE_SPEND_TTL_MS, type SpendMeterNamespace, spendMeters } from "./spend-meters.ts";

function meterObjects() {
  const totals = new Map<string, Spent>();
  const reads: string[] = [];
  let failWrites = false;
  const namespace: SpendMeterNamespace = {
    getByName: (name) => ({
      spent: async () => {
        reads.push(name);
        return totals.get(name) ?? noSpend;
      },
      add: async (spent: Spent) => {
        if (failWrites) throw new Error("meter unreachable");
        const before = totals.get(name) ?? noSpend;
        const after = { tokens: before.tokens + spent.tokens, cost: before.cost + spent.cost };
        totals.set(name, after);
        return after;
      },
    }),
  } as SpendMeterNamespace;
  return { namespace, totals, reads, failing: (on: boolean) => (failWrites = on) };
}

describe("spend meters as a thread sees them", () => {
  it("reads the thread's meter once per object and counts its own spend since, the writes in the background", async () => {
    const objects = meterObjects();
    let clock = Date.parse("2026-12-02T10:00:00Z");
    const work: Promise<unknown>[] = [];
    // A thread id no other test uses: the site's view is shared per isolate.
    const meters = spendMeters(objects.namespace, "t-once", () => clock, { background: (w) => work.push(w) });
    expect(await meters.load()).toEqual({ thread: noSpend, site: expect.any(Object) });
    await meters.add({ tokens: 100, cost: 0.01 });
    clock += 1000;
    const second = await meters.load();
    expect(second.thread).toEqual({ tokens: 100, cost: 0.01 });
    // One read of each meter so far; the writes land once the background work ran.
    expect(objects.reads.filter((r) => r.startsWith("thread:"))).toHaveLength(1);
    await Promise.all(work);
    expect(objects.totals.get("thread:t-once:2026-12-02")).toEqual({ tokens: 100, cost: 0.01 });
  });

  it("re-reads the site's meter after its TTL, and a meter whose write failed", async () => {
    const objects = meterObjects();
    let clock = Date.parse("2026-12-03T10:00:00Z");
    const errors: unknown[] = [];
    const work: Promise<unknown>[] = [];
    const meters = spendMeters(objects.namespace, "t-ttl", () => clock, {
      background: (w) => work.push(w),
      onWriteError: (e) => errors.push(e),
    });
    await meters.load();
    // Another thread's spend, seen only after the TTL.
    objects.totals.set("site:2026-12-03", { tokens: 5000, cost: 0.5 });
    clock += SITE_SPEND_TTL_MS - 1;
    expect((await meters.load()).site.tokens).toBe(0);
    clock += 2;
    expect((await meters.load()).site.tokens).toBe(5000);

    objects.failing(true);
    await meters.add({ tokens: 10, cost: 0 });
    await Promise.all(work);
    expect(errors).toHaveLength(1);
    objects.failing(false);
    const reads = objects.reads.length;
    await meters.load();
    expect(objects.reads.slice(reads)).toEqual(["thread:t-ttl:2026-12-03", "site:2026-12-03"]);
  });

  it("waits for the writes when it has no background", async () => {
    const objects = meterObjects();
    const meters = spendMeters(objects.namespace, "t-wait", () => Date.parse("2026-12-04T10:00:00Z"));
    await meters.add({ tokens: 7, cost: 0 });
    expect(objects.totals.get("thread:t-wait:2026-12-04")?.tokens).toBe(7);
    expect(objects.totals.get("site:2026-12-04")?.tokens).toBe(7);
  });
});
