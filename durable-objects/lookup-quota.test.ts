import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openThread } from "../test-tools/agent-api.ts";
import { LOOKUP_WINDOW_MS, type LookupQuota } from "./lookup-quota.ts";

const tables = (stub: DurableObjectStub<LookupQuota>) =>
  runInDurableObject(stub, (_instance, state) =>
    state.storage.sql
      .exec("SELECT name FROM sqlite_master WHERE type = 'table'")
      .toArray()
      .filter((t) => !String(t.name).startsWith("_cf")),
  );

describe("get_order lookup quota", () => {
  it("counts failures over a sliding hour, writes nothing until one, and forgets them after the hour", async () => {
    const stub = env.LOOKUP_QUOTA.getByName(`email:${crypto.randomUUID()}`);
    expect(await stub.failures()).toBe(0);
    expect(await tables(stub)).toEqual([]);
    const t0 = Date.now();
    expect(await stub.fail(t0 - LOOKUP_WINDOW_MS + 1000)).toBe(1);
    expect(await stub.fail(t0)).toBe(2);
    // The first failure leaves the window: one counted.
    expect(await stub.failures(t0 + 2000)).toBe(1);
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE failures SET at = at - ?", LOOKUP_WINDOW_MS + 5000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await tables(stub)).toEqual([]);
  });

  it("replays the walk through the API: the victim's order past the fifth wrong number is not found", async () => {
    const victim = "lukas.brandt@example.net";
    // The first lookup of a file pays for a cold database; it is another customer's, and found.
    const warm = await openThread("Where is my order FH-100231? My email is ana.kovac@example.com");
    expect(warm.reply.message.content).toContain("FH-100231");
    const answers: string[] = [];
    // FH-100231..FH-100242 in fresh threads; the victim's FH-100237 is the 7th, after five failures.
    for (let n = 100231; n <= 100242; n++) {
      const { reply } = await openThread(`Where is my order FH-${n}? My email is ${victim}`);
      answers.push(reply.message.content);
    }
    const found = answers.filter((a) => /delivered|FH-100237/i.test(a));
    expect(found).toEqual([]);
    // The refused right pair reads exactly like the wrong ones around it.
    expect(answers[6]).toBe(answers[5]);
    expect(new Set(answers).size).toBe(1);
    // Another customer's lookups are unaffected.
    const other = await openThread("Where is my order FH-100231? My email is ana.kovac@example.com");
    expect(other.reply.message.meta.outcome).toBe("answered");
    expect(other.reply.message.content).toContain("FH-100231");
  });
});
