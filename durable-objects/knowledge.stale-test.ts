import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { toolCalls } from "../db/schema.ts";
import { call, openThread } from "../test-tools/agent-api.ts";
import { eventually, query } from "../test-tools/remote-controls.ts";

// In this project every load counts as stale (KB_MAX_AGE_HOURS is a fraction of a second).
describe("a stale help centre", () => {
  it("switches search_kb off, hands knowledge questions to a person and says why", async () => {
    const { reply, threadId } = await openThread("How long do refunds take?");
    expect(reply.message.content).toMatch(/^Our help centre isn't available to me right now\./);
    expect(reply.message.content).toContain("asked a member of our team");
    expect(reply.message.citations).toEqual([]);
    expect(reply.status).toBe("handoff");
    const calls = await eventually(async () => {
      const rows = await query((db) => db.select().from(toolCalls).where(eq(toolCalls.threadId, threadId)));
      return rows.length > 0 ? rows : undefined;
    });
    expect(calls.map((c) => c.tool)).toEqual(["handoff_human"]);
    expect(JSON.stringify(calls[0]?.args)).toContain("last loaded more than");
  });

  it("still answers order questions", async () => {
    const { reply } = await openThread("where is my order FH-100231? email ana.kovac@example.com");
    expect(reply.message.content).toContain("FH-100231");
    expect(reply.status).toBe("open");
  });
});

describe("GET /readyz with a stale help centre", () => {
  it("answers 503 and says why", async () => {
    const response = await call("/readyz");
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      ready: false,
      checks: {
        config: { ok: true },
        database: { ok: true },
        knowledge: { ok: false, reason: expect.stringContaining("last loaded more than") },
      },
    });
  });
});
