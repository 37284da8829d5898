/**
 * The inbox under a flood, through the real fetch handler: while a slow model answers one message at a time,
 * at most 25 wait in a thread, the rest are refused with 429 rate_limited:chat before any model call, and
 * every accepted message is answered once with its own answer.
 */
import { describe, expect, it } from "vitest";
import type { Reply } from "../core/contracts/api.ts";
import { openThread, postMessage, readThread } from "../test-tools/agent-api.ts";
import { addLlmRule, llmRequests } from "../test-tools/remote-controls.ts";

describe("backpressure", () => {
  it("asks a sender to slow down when too many messages wait in one thread, and loses none it accepted", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    await addLlmRule({ match: `flood open ${tag}`, responses: [{ text: "Hi." }] });
    const { threadId, token } = await openThread(`flood open ${tag}`);
    const texts = Array.from({ length: 40 }, (_, i) => `flood ${tag} message ${i}`);
    for (const [i, text] of texts.entries())
      await addLlmRule({ match: text, responses: [{ delayMs: 100, text: `answer ${i}` }] });
    const responses = await Promise.all(
      texts.map((message) => postMessage({ message, thread_id: threadId }, { token })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const limited = responses.find((r) => r.status === 429);
    expect(await limited?.json()).toMatchObject({ error: { code: "rate_limited:chat" } });

    const accepted = texts.filter((_, i) => statuses[i] === 200);
    const answers = await Promise.all(
      responses.filter((r) => r.status === 200).map((r) => r.json() as Promise<Reply>),
    );
    expect(answers.map((a) => a.message.content)).toEqual(accepted.map((t) => `answer ${texts.indexOf(t)}`));
    // A refused message never reached the model.
    for (const [i, text] of texts.entries())
      if (statuses[i] === 429) expect(await llmRequests(text)).toHaveLength(0);
    const view = await readThread(threadId, token, 100);
    expect(
      view.body.messages
        .filter((m) => m.role === "user")
        .map((m) => m.content)
        .slice(1)
        .sort(),
    ).toEqual([...accepted].sort());
  });
});
