import { describe, expect, it } from "vitest";
import type { Reply, ThreadView } from "../core/contracts/api.ts";
import type { Result } from "../core/errors.ts";
import { turnRecordSchema } from "../db/record.ts";
import type { TurnRequest } from "./conversation.ts";
import { createHarness, echoTurn } from "./thread-harness.ts";
import type { TurnOutcome } from "./turn-message.ts";

const value = <T>(result: Result<T>): T => {
  if (!result.ok) throw new Error(`expected a value, got ${result.code}`);
  return result.value;
};

const maya = { id: "7d1c1c1e-0b7a-4b53-9a43-4f7c5c3b2a10", name: "Maya" };
const omar = { id: "0c2a4f0e-5d1b-4e7a-8f3c-2b6d9e1a7c44", name: "Omar" };

function countingHarness() {
  const seen: TurnRequest[] = [];
  const echo = echoTurn();
  const h = createHarness({
    turn: (request): Promise<TurnOutcome> => {
      seen.push(request);
      return echo(request);
    },
  });
  return { h, seen };
}

const records = (h: ReturnType<typeof createHarness>) => h.sink.written.map((r) => turnRecordSchema.parse(r));

const view = async (h: ReturnType<typeof createHarness>, token: string): Promise<ThreadView> =>
  value(await h.conversation.view({ token, viewerSub: null }, 100));

describe("staff taking a thread over", () => {
  it("keeps the bot quiet while a person owns the thread, and lets it answer again after release", async () => {
    const { h, seen } = countingHarness();
    const { token } = await h.open("hello");
    expect(seen).toHaveLength(1);

    const taken = value(await h.conversation.staffAction({ kind: "takeover", staff: maya }));
    expect(taken).toMatchObject({ status: "handoff", owner: maya });
    expect(taken.messages.map((m) => [m.role, m.content])).toEqual([["event", "Maya from Fernhill joined."]]);

    const held: Reply = value(await h.say(token, "is anyone there?"));
    // No turn ran: the visitor's own message comes back as stored, and nothing from the bot follows it.
    expect(seen).toHaveLength(1);
    expect(held.message).toMatchObject({ role: "user", content: "is anyone there?" });

    value(
      await h.conversation.staffAction({
        kind: "message",
        staff: maya,
        content: "Hi, Maya here.",
        internal: false,
      }),
    );
    value(
      await h.conversation.staffAction({
        kind: "message",
        staff: maya,
        content: "VIP customer",
        internal: true,
      }),
    );
    const visitor = await view(h, token);
    expect(visitor.messages.map((m) => m.role)).toEqual(["user", "assistant", "event", "user", "staff"]);
    const staffMessage = visitor.messages.at(-1);
    expect(staffMessage?.meta).toEqual({ staffName: "Maya" });
    expect(JSON.stringify(visitor)).not.toContain("VIP customer");
    expect(JSON.stringify(visitor)).not.toContain(maya.id);

    value(
      await h.conversation.staffAction({
        kind: "release",
        staff: maya,
        reason: "answered the delivery question",
      }),
    );
    const next = value(await h.say(token, "thanks, one more question"));
    expect(seen).toHaveLength(2);
    expect(next.message).toMatchObject({ role: "assistant", content: "answer to thanks, one more question" });
    // The Brain saw the person's reply as the agent's side, and never the internal notes.
    const history = seen[1]?.history.map((item) => item.content) ?? [];
    expect(history).toContain("Hi, Maya here.");
    expect(history.join(" ")).not.toContain("VIP customer");
    expect(history.join(" ")).not.toContain("answered the delivery question");
    await h.idle();
    // The record for Postgres carries the owner as it changed.
    const owners = records(h).map((r) => r.thread.owner ?? null);
    expect(owners).toContainEqual(maya);
    expect(owners.at(-1)).toBeNull();
  });

  it("refuses a second person's takeover, reply or release with who owns it, and still takes their notes", async () => {
    const { h } = countingHarness();
    await h.open("hello");
    value(await h.conversation.staffAction({ kind: "takeover", staff: maya }));
    for (const action of [
      { kind: "takeover", staff: omar },
      { kind: "message", staff: omar, content: "hi", internal: false },
      { kind: "release", staff: omar },
      { kind: "close", staff: omar, reason: "spam" },
    ] as const) {
      const refused = await h.conversation.staffAction(action);
      expect(refused).toEqual({
        ok: false,
        code: "conflict:owner",
        message: "Maya already owns this conversation.",
      });
    }
    expect(h.store.state()?.owner).toEqual(maya);
    const note = value(
      await h.conversation.staffAction({ kind: "message", staff: omar, content: "fyi", internal: true }),
    );
    expect(note.messages.map((m) => m.role)).toEqual(["note"]);
    // Taking over again by the owner adds nothing.
    expect(value(await h.conversation.staffAction({ kind: "takeover", staff: maya })).messages).toEqual([]);
  });

  it("closes with a reason, and a visitor writing again opens it for the bot", async () => {
    const { h, seen } = countingHarness();
    const { token } = await h.open("hello");
    value(
      await h.conversation.staffAction({ kind: "message", staff: maya, content: "Sorted!", internal: false }),
    );
    const closed = value(
      await h.conversation.staffAction({ kind: "close", staff: maya, reason: "resolved" }),
    );
    expect(closed).toMatchObject({ status: "closed", owner: null });
    await h.idle();
    expect(records(h).at(-1)?.thread).toMatchObject({ status: "closed", closedReason: "resolved" });
    const again = value(await h.say(token, "actually, one more thing"));
    expect(seen).toHaveLength(2);
    expect(again).toMatchObject({ status: "open", message: { role: "assistant" } });
  });
});
