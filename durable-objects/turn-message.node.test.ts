import { describe, expect, it } from "vitest";
import { TurnLedger } from "./turn-ledger.ts";
import { gaveUpOutcome, outcomeOfTurn, stepMessageText } from "./turn-message.ts";

const stamp = { id: "reply-1", turnId: "turn-1", createdAt: "2026-12-01T10:00:00.000Z" };

describe("the turn ledger", () => {
  it("adds up time, tokens, attempts' latency and cost, and keeps one row per call", () => {
    const ledger = new TurnLedger("turn-1", "llm", 1_000);
    ledger.time("plan", 10.4);
    ledger.time("draft", 5.2);
    ledger.time("draft", 5.2);
    ledger.used("gpt-x", { promptTokens: 100, completionTokens: 10 });
    ledger.used("gpt-x", { promptTokens: 50, completionTokens: 5 });
    const call = {
      id: "call_1",
      turnId: "turn-1",
      tool: "get_order",
      dispatch: "inline",
      args: {},
      result: null,
      status: "failed" as const,
      errorCode: "upstream:tool",
      attempts: 1,
      latencyMs: 30,
    };
    ledger.ran(call);
    ledger.ran({ ...call, status: "succeeded", errorCode: null, attempts: 2, latencyMs: 20 });
    ledger.queued({ ...call, id: "call_1", status: "queued" });
    ledger.ticket("FH-1");
    ledger.respond({ text: "Shipped.", citations: [], outcome: "answered", meta: {} });
    const result = ledger.result({ toolCallsUsed: 1, costPerMTok: { input: 1, output: 2 }, now: 1_250 });
    expect(result.toolCalls).toEqual([
      { ...call, status: "succeeded", errorCode: null, attempts: 2, latencyMs: 50 },
    ]);
    expect(result.reply.ticketReference).toBe("FH-1");
    expect(result.metrics).toMatchObject({
      model: "gpt-x",
      totalMs: 250,
      planMs: 10,
      draftMs: 10,
      promptTokens: 150,
      completionTokens: 15,
      costUsd: (150 * 1 + 15 * 2) / 1_000_000,
    });
  });

  it("refuses to end a turn that never responded", () => {
    const ledger = new TurnLedger("turn-1", "offline", 0);
    expect(() => ledger.result({ toolCallsUsed: 0, costPerMTok: { input: 0, output: 0 }, now: 1 })).toThrow(
      /without a reply/,
    );
  });
});

describe("turn results as thread messages", () => {
  const result = (ticketReference?: string) => {
    const ledger = new TurnLedger("turn-1", "offline", 0);
    ledger.ticket(ticketReference);
    ledger.respond({ text: "Hi!", citations: [], outcome: "answered", meta: { degraded: true } });
    return ledger.result({ toolCallsUsed: 0, costPerMTok: { input: 0, output: 0 }, now: 5 });
  };

  it("marks an offline answer as offline and a model's with its model", () => {
    expect(outcomeOfTurn(result(), { kind: "offline", model: null }, stamp).message).toEqual({
      id: "reply-1",
      role: "assistant",
      content: "Hi!",
      citations: [],
      meta: { degraded: true, turnId: "turn-1", outcome: "answered", brain: "offline", offline: true },
      createdAt: stamp.createdAt,
    });
    expect(outcomeOfTurn(result("FH-2"), { kind: "llm", model: "m" }, stamp).message.meta).toMatchObject({
      brain: "llm",
      model: "m",
      ticketReference: "FH-2",
    });
  });

  it("apologises for a message no attempt could answer, with the ticket when there is one", () => {
    expect(gaveUpOutcome(stamp, "FH-3").message.meta).toEqual({
      turnId: "turn-1",
      outcome: "failed:turn",
      degraded: true,
      ticketReference: "FH-3",
    });
    expect(gaveUpOutcome(stamp, undefined).message.meta).not.toHaveProperty("ticketReference");
  });

  it("says what a settled step means for the visitor", () => {
    expect(stepMessageText({ callId: "c", tool: "create_ticket", ok: true, reference: "FH-4" }, "9-5")).toBe(
      "Support ticket FH-4 is open. Our team will reply by email.",
    );
    expect(stepMessageText({ callId: "c", tool: "handoff_human", ok: true, reference: null }, "9-5")).toBe(
      "Our support team has been notified (9-5).",
    );
    expect(
      stepMessageText({ callId: "c", tool: "handoff_human", ok: false, reference: null }, "9-5"),
    ).toContain("couldn't reach our support team");
  });
});
