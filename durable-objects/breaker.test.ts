import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { toolCalls } from "../db/schema.ts";
import { openThread, say } from "../test-tools/agent-api.ts";
import { addDbFault, dbFaultHits, eventually, query } from "../test-tools/remote-controls.ts";
import type { Breaker } from "./breaker.ts";

// Storage is isolated per test file, so this file's get_order breaker is its own.
describe("circuit breaker shared across threads", () => {
  it("opens after repeated failures, refuses calls without touching the tool, then half-opens and closes", async () => {
    const failing = "FH-100412";
    await addDbFault({ marker: failing, action: "drop", statement: 'from "orders"', times: 5 });
    // Two turns in two threads: 3 attempts + 2 attempts = 5 failures inside the breaker's window.
    const a = await openThread(`where is my order ${failing}, email lukas.brandt@example.net`);
    expect(a.reply.message.meta.outcome, "first thread").toBe("degraded:tool_unavailable");
    const b = await openThread(`where is my order ${failing}, my email is lukas.brandt@example.net`);
    expect(b.reply.message.meta.outcome, "second thread").toBe("degraded:tool_unavailable");
    expect(await dbFaultHits(failing)).toBe(5);

    const stub = env.BREAKER.getByName("get_order");
    expect((await stub.status()).status).toBe("open");

    // A healthy order in a third thread is refused while the breaker is open: the tool is not called.
    const c = await openThread("where is my order FH-100231, email ana.kovac@example.com");
    expect(c.reply.message.meta.outcome, "third thread").toBe("degraded:tool_unavailable");
    const refused = await eventually(async () => {
      const rows = await query((db) => db.select().from(toolCalls).where(eq(toolCalls.threadId, c.threadId)));
      return rows.find((r) => r.tool === "get_order");
    });
    expect(refused).toMatchObject({ status: "breaker_open", errorCode: "unavailable:breaker_open" });

    // 60 s later (moved back in storage rather than waited for) one probe goes through and closes it.
    await runInDurableObject(stub, async (_instance: Breaker, state) => {
      state.storage.sql.exec(
        "UPDATE breaker SET state = ?",
        JSON.stringify({ status: "open", openedAt: Date.now() - 61_000 }),
      );
    });
    // A fresh instance reads the state back from storage, as after any restart.
    await evictDurableObject(stub);
    const probe = await say(c.threadId, c.token, "where is my order FH-100231, email ana.kovac@example.com");
    expect(probe.message.meta.outcome, "probe").toBe("answered");
    expect((await stub.status()).status).toBe("closed");
  });
});
