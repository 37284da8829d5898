import { describe, expect, it } from "vitest";
import { supportScheduleSchema, WEEKDAYS } from "../core/support-hours.ts";
import type { TurnRequest } from "./conversation.ts";
import { ALWAYS_OPEN, createHarness, echoTurn } from "./thread-harness.ts";
import type { TurnOutcome } from "./turn-message.ts";

/** Echoes, and hands off when the visitor asks for a person. */
const handingOff = async (request: TurnRequest): Promise<TurnOutcome> => {
  const outcome = await echoTurn()(request);
  return { ...outcome, handoff: /person/.test(request.message) };
};

const tomorrow = WEEKDAYS[(new Date().getUTCDay() + 1) % 7] ?? "mon";
/** The team is in for one hour tomorrow only: away now. */
const awayNow = supportScheduleSchema.parse({ timeZone: "UTC", weekly: { [tomorrow]: ["09:00-10:00"] } });

const events = (h: ReturnType<typeof createHarness>) =>
  h.store.recentMessages(100).filter((m) => m.role === "event");

describe("a handoff nobody can take", () => {
  it("outside hours tells the visitor when the team is back, asks for an email, and opens the ticket for it", async () => {
    const h = createHarness({ turn: handingOff, handoff: { schedule: awayNow, waitMs: 60_000 } });
    const { token } = await h.open("I'd like a person please");
    await h.idle();
    expect(events(h).map((m) => m.content)).toEqual([
      "Our team is away right now and back tomorrow at 09:00 (UTC time). Leave your email address here and we'll reply to you by email.",
    ]);
    expect(events(h)[0]?.meta).toMatchObject({ outcome: "handoff:away", awaiting: "email" });
    expect(h.tickets).toEqual([]);

    const reply = await h.say(token, "Sure, it's Ana.Kovac@example.com");
    expect(reply.ok && reply.value.message.content).toBe(
      "Thanks! Ticket FH-TEST1 is open and our team will reply to ana.kovac@example.com.",
    );
    expect(h.tickets).toEqual([
      expect.objectContaining({ followUp: expect.objectContaining({ email: "ana.kovac@example.com" }) }),
    ]);
    // It stays waiting for a person (in the inbox); later messages get the plain acknowledgement.
    expect(h.store.state()).toMatchObject({ status: "handoff", handoff: { stage: "ticketed" } });
    const later = await h.say(token, "Another detail: it's the blue one");
    expect(later.ok && later.value.message.meta.outcome).toBe("handoff:waiting");
    expect(h.tickets).toHaveLength(1);
  });

  it("in hours waits, then follows up with a ticket for the email the visitor already gave", async () => {
    const h = createHarness({ turn: handingOff, handoff: { schedule: ALWAYS_OPEN, waitMs: 100 } });
    await h.open("My email is ana.kovac@example.com and I want a person");
    await h.idle();
    expect(events(h)).toEqual([]);
    // The alarm was asked for the end of the wait.
    const since = Date.parse(h.store.state()?.handoff?.since ?? "");
    expect(h.wakes).toContain(since + 100);
    await new Promise((r) => setTimeout(r, 120));
    await h.conversation.wake();
    await h.conversation.wake();
    expect(events(h).map((m) => m.content)).toEqual([
      "Sorry for the wait: nobody from our team has been able to pick this up yet. We've opened ticket FH-TEST1 and the team will reply by email.",
    ]);
    expect(h.tickets).toHaveLength(1);
    expect(h.tickets[0]?.followUp?.email).toBe("ana.kovac@example.com");
  });

  it("does nothing once a person has taken it over", async () => {
    const h = createHarness({ turn: handingOff, handoff: { schedule: ALWAYS_OPEN, waitMs: 50 } });
    await h.open("I want a person");
    await h.conversation.staffAction({ kind: "takeover", staff: { id: "s-1", name: "Maya" } });
    await new Promise((r) => setTimeout(r, 70));
    await h.conversation.wake();
    expect(events(h).map((m) => m.meta.outcome)).toEqual(["staff:joined"]);
    expect(h.tickets).toEqual([]);
  });
});
