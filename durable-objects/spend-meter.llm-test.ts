/**
 * The spend meters as the Thread uses them (durable-objects/spend-meter.ts): what each model turn spent reaches
 * the thread's meter and the site's, after the reply, and a thread's later turns count from what it already
 * spent (the object keeps its own meter's value, so it reads it once).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { spendDay } from "../core/orchestrator/budget.ts";
import { openThread, say } from "../test-tools/agent-api.ts";
import { addLlmRule, eventually } from "../test-tools/remote-controls.ts";

const unique = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}`;

describe("spend meters", () => {
  it("add every model turn's tokens to the thread's and the site's meter", async () => {
    const first = unique("hello meter");
    const second = unique("and again");
    await addLlmRule({ match: first, responses: [{ text: "Hello! How can I help?" }] });
    await addLlmRule({ match: second, responses: [{ text: "Happy to help again." }] });
    const siteName = `site:${spendDay(Date.now())}`;
    const siteBefore = await env.SPEND_METER.getByName(siteName).spent();

    const { threadId, token } = await openThread(first);
    const meter = env.SPEND_METER.getByName(`thread:${threadId}:${spendDay(Date.now())}`);
    const afterOne = await eventually(async () => {
      const spent = await meter.spent();
      return spent.tokens > 0 ? spent : undefined;
    });
    await say(threadId, token, second);
    const afterTwo = await eventually(async () => {
      const spent = await meter.spent();
      return spent.tokens > afterOne.tokens ? spent : undefined;
    });
    // The second turn's prompt holds the first exchange, so it spent at least as much.
    expect(afterTwo.tokens - afterOne.tokens).toBeGreaterThanOrEqual(afterOne.tokens);
    const site = await eventually(async () => {
      const spent = await env.SPEND_METER.getByName(siteName).spent();
      return spent.tokens - siteBefore.tokens >= afterTwo.tokens ? spent : undefined;
    });
    expect(site.tokens - siteBefore.tokens).toBeGreaterThanOrEqual(afterTwo.tokens);
  });
});
