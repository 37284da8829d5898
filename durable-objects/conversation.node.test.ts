import { describe, expect, it } from "vitest";
import type { Reply } from "../core/contracts/api.ts";
import type { Result } from "../core/errors.ts";
import { replies } from "../core/orchestrator/replies.ts";
import { INBOX_LIMITS, type TurnRequest } from "./conversation.ts";
import { createHarness, echoTurn } from "./thread-harness.ts";
import type { TurnOutcome } from "./turn-message.ts";

const value = (result: Result<Reply>): Reply => {
  if (!result.ok) throw new Error(`expected a reply, got ${result.code}`);
  return result.value;
};

/** A turn that waits until the test lets it finish. */
function gatedTurn() {
  const gates: (() => void)[] = [];
  const turn = async (request: TurnRequest): Promise<TurnOutcome> => {
    await new Promise<void>((resolve) => gates.push(resolve));
    return echoTurn()(request);
  };
  return { turn, release: () => gates.splice(0).forEach((g) => void g()), waiting: () => gates.length };
}

describe("the inbox", () => {
  it("answers concurrent messages one at a time in arrival order, each with its own answer, exactly once", async () => {
    const h = createHarness({ turn: echoTurn(2) });
    const { token } = await h.open("hello");
    const texts = Array.from({ length: 12 }, (_, i) => `question ${i}`);
    const answers = await Promise.all(texts.map((t) => h.say(token, t)));
    // Each caller got the answer to its own message.
    expect(answers.map((a) => value(a).message.content)).toEqual(texts.map((t) => `answer to ${t}`));
    const window = h.store.recentMessages(100);
    // Every message once, directly followed by its own answer, in the order the inbox took them.
    const users = window.filter((m) => m.role === "user").map((m) => m.content);
    expect([...users].sort()).toEqual(["hello", ...texts].sort());
    expect(window.map((m) => m.content)).toEqual(users.flatMap((t) => [t, `answer to ${t}`]));
    expect(window.map((m) => m.seq)).toEqual(window.map((_, i) => i + 1));
    const answeredInOrder = answers.map((a) => value(a).message.seq).sort((x, y) => x - y);
    expect(answeredInOrder).toEqual(
      window
        .filter((m) => m.role === "assistant")
        .slice(1)
        .map((m) => m.seq),
    );
    await h.idle();
    expect(h.store.pending()).toEqual([]);
  });

  it("answers a retried message (same client id) with the first answer, without a second turn", async () => {
    let turns = 0;
    const h = createHarness({
      turn: (r) => {
        turns++;
        return echoTurn()(r);
      },
    });
    const { token } = await h.open("hello");
    const first = value(await h.say(token, "thanks!", "client-0001"));
    const again = value(await h.say(token, "thanks!", "client-0001"));
    expect(again.message.id).toBe(first.message.id);
    expect(turns).toBe(2);
    expect(h.store.recentMessages(100)).toHaveLength(4);
  });

  it("never wedges: a turn that always throws gets the apology and a ticket within the SLA, and the next message is answered", async () => {
    const failing = new Set(["where is my order FH-100231?"]);
    let calls = 0;
    const h = createHarness({
      turn: async (request) => {
        calls++;
        if (failing.has(request.message)) throw new Error("ORDER_SOURCE=woocommerce needs WOOCOMMERCE_URL");
        return echoTurn()(request);
      },
    });
    const { token } = await h.open("hello");
    calls = 0;
    const started = Date.now();
    const apology = value(await h.say(token, "where is my order FH-100231?"));
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(apology.message.content).toBe(replies.brainUnavailable);
    expect(apology.message.meta).toMatchObject({
      outcome: "failed:turn",
      degraded: true,
      ticketReference: "FH-TEST1",
    });
    expect(calls).toBe(INBOX_LIMITS.maxAttempts);
    expect(h.tickets).toHaveLength(1);
    expect(h.logs.filter((l) => l.event === "turn.failed")).toHaveLength(INBOX_LIMITS.maxAttempts);
    expect(h.logs.find((l) => l.event === "turn.gave_up")?.fields).toMatchObject({
      attempts: 3,
      ticket: true,
    });

    const next = Date.now();
    const thanks = value(await h.say(token, "thanks!"));
    expect(thanks.message.content).toBe("answer to thanks!");
    expect(Date.now() - next).toBeLessThan(1_000);
    await h.idle();
    expect(h.store.pending()).toEqual([]);
  });

  it("retries a turn that failed once and answers it", async () => {
    let failures = 1;
    const h = createHarness({
      turn: async (request) => {
        if (request.message === "flaky" && failures-- > 0) throw new Error("connection reset");
        return echoTurn()(request);
      },
    });
    const { token } = await h.open("hello");
    expect(value(await h.say(token, "flaky")).message.content).toBe("answer to flaky");
    expect(h.logs.filter((l) => l.event === "turn.failed")).toHaveLength(1);
  });

  it("tells every waiting caller when its storage fails, keeps the message, and answers it on the next wake", async () => {
    const gate = gatedTurn();
    const h = createHarness({ turn: gate.turn });
    const opening = h.open("hello");
    await until(() => gate.waiting() === 1);
    gate.release();
    const { token } = await opening;
    h.store.failNext = "beginAttempt";
    const refused = await h.say(token, "first", "client-first");
    expect(refused).toMatchObject({ ok: false, code: "unavailable:thread" });
    expect(h.store.pending().map((e) => e.content)).toEqual(["first"]);
    expect(h.wakes.length).toBeGreaterThan(0);
    expect(h.logs.some((l) => l.event === "inbox.stalled")).toBe(true);

    // The alarm answers it; the caller's retry (same client id) gets that answer.
    const woken = h.conversation.wake();
    await until(() => gate.waiting() === 1);
    gate.release();
    await woken;
    expect(value(await h.say(token, "first", "client-first")).message.content).toBe("answer to first");
    expect(h.store.recentMessages(100).map((m) => m.content)).toEqual([
      "hello",
      "answer to hello",
      "first",
      "answer to first",
    ]);
  });

  it("asks a flooding sender to slow down once 25 wait, and still answers a retry of one it holds", async () => {
    const gate = gatedTurn();
    const h = createHarness({ turn: gate.turn });
    const opening = h.open("hello");
    await until(() => gate.waiting() === 1);
    gate.release();
    const { token } = await opening;
    const held = Array.from({ length: INBOX_LIMITS.maxWaiting }, (_, i) =>
      h.say(token, `m${i}`, `client-m${i}`),
    );
    await until(() => h.store.pending().length === INBOX_LIMITS.maxWaiting);
    expect(await h.say(token, "one too many")).toMatchObject({ ok: false, code: "rate_limited:chat" });
    const retry = h.say(token, "m3", "client-m3");
    for (let i = 0; i < INBOX_LIMITS.maxWaiting; i++) {
      await until(() => gate.waiting() === 1);
      gate.release();
    }
    const answers = await Promise.all(held);
    expect(answers.map((a) => value(a).message.content)).toEqual(held.map((_, i) => `answer to m${i}`));
    expect(value(await retry).message.id).toBe(value(answers[3] as Result<Reply>).message.id);
    expect(h.store.recentMessages(100).filter((m) => m.role === "user")).toHaveLength(
      INBOX_LIMITS.maxWaiting + 1,
    );
  });

  it("only acknowledges while a person is on the way, without a turn", async () => {
    let turns = 0;
    const h = createHarness({
      turn: async (request) => {
        turns++;
        return { ...(await echoTurn()(request)), handoff: true };
      },
    });
    const { token, reply } = await h.open("I want a person");
    expect(value(reply).status).toBe("handoff");
    const next = value(await h.say(token, "hello?"));
    expect(next.message.content).toBe(replies.handoffWaiting);
    expect(turns).toBe(1);
  });

  it("streams the turn's events and ends with the message", async () => {
    const h = createHarness();
    const { token } = await h.open("hello");
    const events = await h.stream(token, "hi there");
    expect(events.map((e) => e.event)).toEqual(["status", "message"]);
  });

  it("refuses a wrong token without telling whether the thread exists", async () => {
    const h = createHarness();
    await h.open("hello");
    expect(await h.say("wrong-token", "hi")).toMatchObject({ ok: false, code: "not_found:thread" });
    expect(await h.conversation.view({ token: "wrong-token", viewerSub: null }, 10)).toMatchObject({
      ok: false,
      code: "not_found:thread",
    });
  });
});

describe("after an eviction", () => {
  it("answers every message that was waiting, once, and counts the attempt cut off mid-turn", async () => {
    const gate = gatedTurn();
    const h = createHarness({ turn: gate.turn });
    const opening = h.open("hello");
    await until(() => gate.waiting() === 1);
    gate.release();
    const { token } = await opening;
    // Three callers: the first is mid-turn when the object goes away; the other two wait in the inbox.
    // Each is sent once the previous one is stored: concurrent callers have no defined order.
    void h.say(token, "one", "client-one");
    await until(() => gate.waiting() === 1);
    void h.say(token, "two", "client-two");
    await until(() => h.store.pending().length === 2);
    void h.say(token, "three", "client-three");
    await until(() => h.store.pending().length === 3);
    expect(h.store.pending().map((e) => [e.content, e.attempts])).toEqual([
      ["one", 1],
      ["two", 0],
      ["three", 0],
    ]);

    // The old instance is gone (its gated turn never finishes); a new one starts on the same storage.
    const after = h.restart(echoTurn());
    expect(after.conversation.hasWork()).toBe(true);
    await after.conversation.wake();
    const window = after.store.recentMessages(100).map((m) => m.content);
    expect(window).toEqual([
      "hello",
      "answer to hello",
      "one",
      "answer to one",
      "two",
      "answer to two",
      "three",
      "answer to three",
    ]);
    // Callers that retry with their client ids get those answers, with no second turn.
    const retried = value(await after.say(token, "two", "client-two"));
    expect(retried.message.content).toBe("answer to two");
    expect(after.store.recentMessages(100)).toHaveLength(8);
  });

  it("gives the apology to a message that already used every attempt before the restart", async () => {
    const h = createHarness();
    const { token } = await h.open("hello");
    const { entry } = h.store.enqueue({
      clientId: "client-crashy",
      messageId: crypto.randomUUID(),
      content: "the message that crashes the object",
      receivedAt: new Date().toISOString(),
    });
    for (let i = 0; i < INBOX_LIMITS.maxAttempts; i++) h.store.beginAttempt(entry.seq);
    let turns = 0;
    const after = h.restart((r) => {
      turns++;
      return echoTurn()(r);
    });
    await after.conversation.wake();
    expect(turns).toBe(0);
    const answer = value(await after.say(token, "the message that crashes the object", "client-crashy"));
    expect(answer.message.content).toBe(replies.brainUnavailable);
    expect(after.tickets).toHaveLength(1);
  });
});

describe("settled queue steps", () => {
  it("add one event message, reach the record through the outbox even when Postgres fails first, and never twice", async () => {
    const h = createHarness();
    const { token } = await h.open("please open a ticket");
    await h.idle();
    let down = true;
    h.sink.fail = () => (down ? { fault: "upstream", code: "08006" } : null);
    const report = {
      callId: "call_ticket_1",
      tool: "create_ticket" as const,
      ok: true,
      reference: "FH-7K3M9Q2A",
    };
    h.conversation.settleStep(report);
    await h.idle();
    // Shown in the thread at once, kept for Postgres.
    const view = await h.conversation.view({ token, viewerSub: null }, 10);
    expect(view.ok && view.value.messages.at(-1)).toMatchObject({
      role: "event",
      content: "Support ticket FH-7K3M9Q2A is open. Our team will reply by email.",
    });
    expect(h.store.outbox()).toHaveLength(1);

    down = false;
    h.conversation.settleStep(report);
    await h.conversation.wake();
    expect(h.store.outbox()).toEqual([]);
    const events = h.sink.written.flatMap((r) =>
      (r as { messages: { role: string; content: string }[] }).messages.filter((m) => m.role === "event"),
    );
    expect(events).toEqual([expect.objectContaining({ content: expect.stringContaining("FH-7K3M9Q2A") })]);
    expect(h.store.recentMessages(10).filter((m) => m.role === "event")).toHaveLength(1);
  });
});

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 2));
  }
}
