/**
 * A Thread Durable Object reset in the middle of a turn (a deploy, a crash): the messages it held are answered
 * after it restarts, each exactly once, in arrival order, and callers that retry with their client id get those
 * answers instead of a second turn. Real workerd, the real fetch handler, the fake model.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Reply } from "../core/contracts/api.ts";
import { openThread, postMessage, readThread } from "../test-tools/agent-api.ts";
import { addLlmRule, eventually, llmRequests } from "../test-tools/remote-controls.ts";

describe("eviction mid-turn", () => {
  it("answers every waiting message once after the restart", async () => {
    const tag = crypto.randomUUID().slice(0, 8);
    const hello = `evict hello ${tag}`;
    await addLlmRule({ match: hello, responses: [{ text: "Hello." }] });
    const { threadId, token } = await openThread(hello);
    const texts = ["one", "two", "three"].map((n) => `evict ${n} ${tag}`);
    for (const [i, text] of texts.entries())
      await addLlmRule({
        match: text,
        // The first is slow, so the object is reset while that turn runs and the other two wait.
        responses:
          i === 0
            ? [{ delayMs: 2_000, text: `answer ${i}` }, { text: `answer ${i}` }]
            : [{ text: `answer ${i}` }],
      });
    const send = (text: string, i: number) =>
      postMessage({ message: text, thread_id: threadId, client_message_id: `evict-${tag}-${i}` }, { token });
    const first = texts.map((text, i) => send(text, i));
    await eventually(async () => ((await llmRequests(texts[0] ?? "")).length > 0 ? true : undefined));

    await runInDurableObject(env.THREAD.getByName(threadId), (_instance, state) =>
      state.abort("evicted by the test"),
    ).catch(() => {});
    const statuses = await Promise.all(first.map(async (r) => (await r).status));
    // The callers whose object went away are told to retry; nothing was answered twice or lost.
    for (const status of statuses) expect([200, 503]).toContain(status);

    // The restarted object owes them answers: its alarm (scheduled when it starts again) gives them. A stub
    // that saw the reset stays broken, so each step takes a new one.
    const stub = () => env.THREAD.getByName(threadId);
    expect((await readThread(threadId, token)).status).toBe(200);
    await eventually(async () =>
      (await runInDurableObject(stub(), (_i, state) => state.storage.getAlarm())) !== null ? true : undefined,
    );
    await runDurableObjectAlarm(stub());
    const view = await readThread(threadId, token);
    expect(view.body.messages.map((m) => m.content)).toEqual([
      hello,
      "Hello.",
      ...texts.flatMap((text, i) => [text, `answer ${i}`]),
    ]);

    // Retries with the same client ids get those answers, with no further model call.
    const before = await Promise.all(texts.map(async (t) => (await llmRequests(t)).length));
    const retried = await Promise.all(
      texts.map(async (text, i) => (await send(text, i)).json() as Promise<Reply>),
    );
    expect(retried.map((r) => r.message.content)).toEqual(["answer 0", "answer 1", "answer 2"]);
    expect(await Promise.all(texts.map(async (t) => (await llmRequests(t)).length))).toEqual(before);
    expect(before).toEqual([2, 1, 1]);
    expect((await readThread(threadId, token)).body.messages).toHaveLength(8);
  });
});
