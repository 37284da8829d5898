/**
 * The faults a thread must survive, end to end in workerd against this project's own PGlite behind the fault
 * proxy, with the fake model: a misconfigured order source (this project sets ORDER_SOURCE=woocommerce without
 * the shop's URL or keys), a record Postgres refuses for its data, Postgres down for 30 s while visitors keep
 * talking, and a model whose errors quote the visitor. Every log line of all of it is captured (LOG_LEVEL is
 * debug here) and checked at the end for customer data. One file, run in order: the outage is for everyone.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Reply } from "../core/contracts/api.ts";
import { replies } from "../core/orchestrator/replies.ts";
import { deadLetters, messages, turnMetrics } from "../db/schema.ts";
import { call, openThread, say } from "../test-tools/agent-api.ts";
import { addLlmRule, eventually, query, setDbOutage } from "../test-tools/remote-controls.ts";

const unique = (label: string) => `${label} ${crypto.randomUUID().slice(0, 8)}`;
const EMAIL = "ana.kovac@example.com";
const OTHER_EMAIL = "mallory.quinn@example.org";

/** Everything the Worker and its Durable Objects logged during this file. */
const logged: unknown[][] = [];
/** Lines a log must never contain: message texts, tokens, emails. Filled as the scenarios run. */
const secrets = new Set<string>([EMAIL, OTHER_EMAIL]);
const print = console.info.bind(console);

beforeAll(() => {
  for (const level of ["log", "warn", "error", "debug"] as const)
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args));
});
afterAll(() => vi.restoreAllMocks());

const events = () =>
  logged.flatMap((args) =>
    args.filter(
      (a): a is { event: string; level: string } => typeof a === "object" && a !== null && "event" in a,
    ),
  );

async function scripted(text: string, responses: Parameters<typeof addLlmRule>[0]["responses"]) {
  await addLlmRule({ match: text, responses });
  secrets.add(text);
  return text;
}

describe("a misconfigured order source", () => {
  it("never wedges the thread: the order question is answered in degrade mode with a ticket, and the next message within the SLA", async () => {
    const hello = await scripted(unique("hello there"), [{ text: "Hello! How can I help?" }]);
    const { threadId, token } = await openThread(hello);
    secrets.add(token);
    const order = await scripted(unique(`where is my order FH-100231? my email is ${EMAIL}`), [
      { tool_calls: [{ name: "get_order", arguments: { order_id: "FH-100231", email: EMAIL } }] },
      { text: "I can't look at orders right now." },
    ]);
    const started = Date.now();
    const answer = await say(threadId, token, order);
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(answer.message.content).toBe(`I can't look at orders right now.\n\n${replies.followUp}`);
    expect(answer.message.meta).toMatchObject({
      outcome: "degraded:tool_unavailable",
      ticketReference: expect.stringMatching(/^FH-/),
    });

    const thanks = await scripted(unique("thanks!"), [{ text: "You're welcome." }]);
    const next = Date.now();
    expect((await say(threadId, token, thanks)).message.content).toBe("You're welcome.");
    expect(Date.now() - next).toBeLessThan(6_000);
  });

  it("is named by /readyz, by key and never by value", async () => {
    const response = await call("/readyz");
    expect(response.status).toBe(503);
    const body = (await response.json()) as { checks: { config: { problems: { key: string }[] } } };
    expect(body.checks.config.problems.map((p) => p.key).sort()).toEqual([
      "WOOCOMMERCE_CONSUMER_KEY",
      "WOOCOMMERCE_CONSUMER_SECRET",
      "WOOCOMMERCE_URL",
    ]);
  });
});

describe("a record Postgres refuses for its data", () => {
  it("is tried 3 times, lands in dead_letters with an error log, and the thread goes on", async () => {
    const hello = await scripted(unique("hi, a question"), [{ text: "Sure, ask away." }]);
    const { threadId, token } = await openThread(hello);
    secrets.add(token);
    // Straight to the Durable Object, past the HTTP validation: the recorder must cope whatever reaches it.
    const poisoned = await scripted(unique(`my email is ${OTHER_EMAIL} and here is a NUL`), [
      { text: "Got it." },
    ]);
    const reply = await env.THREAD.getByName(threadId).postAndWait({
      key: { token, viewerSub: null },
      message: `${poisoned} \u0000 byte`,
      clientMessageId: null,
      create: null,
    });
    expect(reply).toMatchObject({ ok: true, value: { message: { content: "Got it." } } });

    // The retries follow the recorder's own schedule (1 s, then 5 s), from the thread's alarm.
    const [letter] = await eventually(async () => {
      const rows = await query((db) =>
        db.select().from(deadLetters).where(eq(deadLetters.threadId, threadId)),
      );
      return rows.length > 0 ? rows : undefined;
    }, 20_000);
    expect(letter).toMatchObject({
      source: "thread_record",
      errorCode: "data:22021",
      sqlstate: "22021",
      attempts: 3,
    });
    expect(new TextDecoder().decode(letter?.payload)).toContain(`${poisoned} \\u0000 byte`);
    const outbox = await runInDurableObject(env.THREAD.getByName(threadId), (_i, state) =>
      state.storage.sql.exec("SELECT count(*) AS n FROM outbox").one(),
    );
    expect(outbox.n).toBe(0);
    const deferred = events().filter(
      (e) => e.event === "record.deferred" && "code" in e && e.code === "data:22021",
    );
    expect(deferred).toHaveLength(3);

    const after = await scripted(unique("one more question"), [{ text: "Yes?" }]);
    await say(threadId, token, after);
    const stored = await eventually(async () => {
      const rows = await query((db) => db.select().from(messages).where(eq(messages.threadId, threadId)));
      return rows.some((m) => m.content === after) ? rows : undefined;
    });
    expect(stored.map((m) => m.content)).toEqual([hello, "Sure, ask away.", after, "Yes?"]);
  });
});

describe("Postgres down for 30 s", () => {
  it("loses and duplicates no turn of 20 taken during the outage: the outbox replays them", async () => {
    const threads: { threadId: string; token: string; sent: string[] }[] = [];
    for (let t = 0; t < 4; t++) {
      const hello = await scripted(unique(`outage thread ${t} opens`), [{ text: `Hello ${t}.` }]);
      const { threadId, token } = await openThread(hello);
      secrets.add(token);
      threads.push({ threadId, token, sent: [hello] });
    }
    // The opening records are in Postgres before the outage starts.
    await eventually(async () => {
      const rows = await query((db) =>
        db
          .select()
          .from(messages)
          .where(
            inArray(
              messages.threadId,
              threads.map((t) => t.threadId),
            ),
          ),
      );
      return rows.length === 8 ? rows : undefined;
    });

    await setDbOutage(true);
    const down = Date.now();
    const answers: Reply[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        const thread = threads[i % 4];
        if (!thread) throw new Error("no thread");
        const text = await scripted(unique(`outage turn ${i}`), [{ text: `answer ${i}` }]);
        thread.sent.push(text);
        answers.push(await say(thread.threadId, thread.token, text));
        // Spread over the outage: visitors keep talking while Postgres is away.
        await new Promise((r) => setTimeout(r, Math.max(0, down + ((i + 1) * 30_000) / 21 - Date.now())));
      }
      expect(answers.map((a) => a.message.content)).toEqual(answers.map((_, i) => `answer ${i}`));
      await new Promise((r) => setTimeout(r, Math.max(0, down + 30_000 - Date.now())));
    } finally {
      await setDbOutage(false);
    }
    const back = Date.now();
    const outageMs = back - down;
    // Each thread's alarm replays its own outbox, all at once as in production (else at its backoff, <= 60 s).
    await Promise.all(threads.map(({ threadId }) => runDurableObjectAlarm(env.THREAD.getByName(threadId))));
    const ids = threads.map((t) => t.threadId);
    const rows = await eventually(async () => {
      const found = await query((db) => db.select().from(messages).where(inArray(messages.threadId, ids)));
      return found.length >= 8 + 40 ? found : undefined;
    }, 60_000);
    const replayMs = Date.now() - back;

    const lost = threads
      .flatMap((t) => t.sent)
      .filter((text) => !rows.some((m) => m.content === text)).length;
    const lostReplies = answers.filter((a) => !rows.some((m) => m.id === a.message.id)).length;
    const duplicated = rows.length - new Set(rows.map((m) => `${m.threadId}:${m.seq}`)).size;
    expect(lost).toBe(0);
    expect(lostReplies).toBe(0);
    expect(duplicated).toBe(0);
    expect(rows).toHaveLength(48);
    for (const { threadId } of threads)
      expect(
        rows
          .filter((m) => m.threadId === threadId)
          .map((m) => m.seq)
          .sort((a, b) => a - b),
      ).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const metrics = await query((db) =>
      db
        .select()
        .from(turnMetrics)
        .where(
          inArray(
            turnMetrics.turnId,
            answers.map((a) => a.message.meta.turnId ?? ""),
          ),
        ),
    );
    expect(metrics).toHaveLength(20);
    print(
      `postgres down ${(outageMs / 1000).toFixed(1)} s: 20 turns answered, lost ${lost + lostReplies}, duplicated ${duplicated}, replay delay ${replayMs} ms after Postgres came back`,
    );
  }, 120_000);
});

describe("a model whose errors quote the visitor", () => {
  it("gets the generic reply and a ticket, and its error text stays out of the log", async () => {
    const text = await scripted(unique(`my card 4111 1111 1111 1111 was charged twice, email ${EMAIL}`), [
      { error: { status: 400, message: `Invalid request: content "${EMAIL}" was rejected` } },
    ]);
    await addLlmRule({
      match: text,
      model: "fake-fallback",
      responses: [{ error: { status: 400, message: `Invalid request: "${text}"` } }],
    });
    const { reply } = await openThread(text);
    expect(reply.message.content).toBe(replies.brainUnavailable);
    secrets.add(reply.thread_token ?? "never");
  });
});

describe("the logs of all of the above", () => {
  it("carry events, ids and codes, and no email, message text, token or query parameters", () => {
    const seen = new Set(events().map((e) => e.event));
    for (const event of [
      "turn.completed",
      "hand.failed",
      "record.deferred",
      "record.dead_lettered",
      "brain.failed",
    ])
      expect(seen).toContain(event);
    const text = logged.map((args) =>
      args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "),
    );
    const all = text.join("\n");
    for (const secret of secrets) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/Failed query|params:|@example\.(com|org)/);
    // The card number in any spacing; a bare "4111" also turns up inside random UUIDs.
    expect(all).not.toMatch(/4111\D?1111\D?1111/);
  });
});
