/**
 * Every path of the turn state machine, end to end: the Worker, the Thread Durable Object, the real `openai`
 * client against the fake model server, the tool-step queue and PGlite + pgvector behind the fault proxy.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { replies } from "../core/orchestrator/replies.ts";
import { handoffs, tickets, toolCalls, turnMetrics } from "../db/schema.ts";
import { openThread, postMessage, readEvents, readThread } from "../test-tools/agent-api.ts";
import {
  addDbFault,
  addLlmRule,
  dbFaultHits,
  eventually,
  llmRequests,
  query,
} from "../test-tools/remote-controls.ts";

const unique = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}`;
const orderArgs = { order_id: "FH-100231", email: "ana.kovac@example.com" };

async function callsOf(threadId: string) {
  return query((db) => db.select().from(toolCalls).where(eq(toolCalls.threadId, threadId)));
}

describe("turn paths with a model", () => {
  it("plans at temperature 0.2 with the tool specs, runs the tool and drafts at 0.5", async () => {
    const m = unique("where is my order");
    await addLlmRule({
      match: m,
      responses: [
        { tool_calls: [{ name: "get_order", arguments: orderArgs }] },
        { text: "Your order FH-100231 has shipped with DHL." },
      ],
    });
    const { reply, threadId } = await openThread(m);
    expect(reply.message.content).toBe("Your order FH-100231 has shipped with DHL.");
    expect(reply.message.meta).toMatchObject({ brain: "llm", model: "fake-primary", outcome: "answered" });
    const sent = await llmRequests(m);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({
      temperature: 0.2,
      stream: true,
      tools: ["search_kb", "get_order", "create_ticket", "handoff_human"],
    });
    expect(sent[1]?.temperature).toBe(0.5);
    // The model saw the tool result as a tool message, shaped by the Hand (no email, no raw row).
    const toolMessage = sent[1]?.messages.find((msg) => msg.role === "tool");
    expect(String(toolMessage?.content)).toContain('"status":"shipped"');
    expect(String(toolMessage?.content)).not.toContain("ana.kovac");
    const recorded = await eventually(async () =>
      (await callsOf(threadId)).length > 0 ? callsOf(threadId) : undefined,
    );
    expect(recorded).toEqual([
      expect.objectContaining({ tool: "get_order", status: "succeeded", attempts: 1 }),
    ]);
    expect(JSON.stringify(recorded[0]?.args)).not.toContain("ana.kovac");
  });

  it("explains invalid arguments to the model once and runs the corrected call", async () => {
    const m = unique("order status please");
    await addLlmRule({
      match: m,
      responses: [
        { tool_calls: [{ name: "get_order", arguments: '{"order_id": "FH-100231", "email": ' }] },
        { tool_calls: [{ name: "get_order", arguments: orderArgs }] },
        { text: "It has shipped." },
      ],
    });
    const { reply } = await openThread(m);
    expect(reply.message.content).toBe("It has shipped.");
    const sent = await llmRequests(m);
    expect(sent).toHaveLength(3);
    expect(JSON.stringify(sent[1]?.messages.at(-1))).toContain("not valid JSON");
  });

  it("hands the thread to a person after a second invalid tool call", async () => {
    const m = unique("do something odd");
    await addLlmRule({
      match: m,
      responses: [
        { tool_calls: [{ name: "refund_everything", arguments: {} }] },
        { tool_calls: [{ name: "get_order", arguments: { order_id: 7 } }] },
      ],
    });
    const { reply, threadId, token } = await openThread(m);
    expect(reply.message.content).toBe(replies.handedOffAfterErrors);
    expect(reply.status).toBe("handoff");
    expect(reply.message.meta.outcome).toBe("handoff:invalid_tool_call");
    const handoff = await eventually(async () => {
      const rows = await query((db) => db.select().from(handoffs).where(eq(handoffs.threadId, threadId)));
      return rows[0];
    });
    expect(handoff.reason).toContain("valid tool call");
    // While a person is on the way the agent only acknowledges, without a model call.
    const next = await postMessage({ message: `${m} again`, thread_id: threadId }, { token });
    expect(((await next.json()) as { message: { content: string } }).message.content).toBe(
      replies.handoffWaiting,
    );
    expect(await llmRequests(`${m} again`)).toHaveLength(0);
    const event = await eventually(async () => {
      const view = await readThread(threadId, token);
      return view.body.messages.find((msg) => msg.role === "event");
    });
    expect(event.content).toContain("support team");
  });

  it("caps a turn at 3 tool calls, refuses a 4th and drafts offline without asking the model again", async () => {
    const m = unique("check many orders");
    const call = { tool_calls: [{ name: "get_order", arguments: orderArgs }] };
    await addLlmRule({ match: m, responses: [call, call, call, call, { text: "Done checking." }] });
    const { reply, threadId } = await openThread(m);
    const sent = await llmRequests(m);
    // plan, 2 drafts that call again, 1 draft without tools that still asks (refused); then no model call:
    // the offline brain drafts from the orders the tools returned.
    expect(sent).toHaveLength(4);
    expect(sent[3]?.tools).toEqual([]);
    expect(reply.message.content).not.toBe("Done checking.");
    expect(reply.message.content).toContain("FH-100231");
    expect(reply.message.meta.outcome).toBe("answered:limited_tool_calls");
    const recorded = await eventually(async () => {
      const rows = await callsOf(threadId);
      return rows.length >= 3 ? rows : undefined;
    });
    expect(recorded).toHaveLength(3);
  });

  it("switches to the fallback model when the primary fails", async () => {
    const m = unique("hello fallback");
    await addLlmRule({
      match: m,
      model: "fake-primary",
      responses: [{ error: { status: 500, message: "boom" } }],
    });
    await addLlmRule({ match: m, model: "fake-fallback", responses: [{ text: "Hello from the fallback." }] });
    const { reply } = await openThread(m);
    expect(reply.message.content).toBe("Hello from the fallback.");
    expect(reply.message.meta.model).toBe("fake-fallback");
  });

  it("switches to the fallback model when the primary does not answer in time", async () => {
    const m = unique("hello slow primary");
    await addLlmRule({ match: m, model: "fake-primary", responses: [{ hang: true }] });
    await addLlmRule({ match: m, model: "fake-fallback", responses: [{ text: "Fallback was quick." }] });
    const started = Date.now();
    const { reply } = await openThread(m);
    expect(reply.message.content).toBe("Fallback was quick.");
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it("gives a short generic reply and opens a ticket when both models fail", async () => {
    const m = unique("hello, can you help me with my order please, the models are broken");
    await addLlmRule({ match: m, responses: [{ error: { status: 503 } }], repeat: true });
    const { reply, threadId } = await openThread(m);
    expect(reply.message.content).toBe(replies.brainUnavailable);
    expect(reply.message.meta).toMatchObject({
      outcome: "degraded:llm_failed",
      degraded: true,
      ticketReference: expect.stringMatching(/^FH-/),
    });
    const ticket = await eventually(
      async () => (await query((db) => db.select().from(tickets).where(eq(tickets.threadId, threadId))))[0],
    );
    expect(ticket.reference).toBe(reply.message.meta.ticketReference);
  });

  it("retries a failing tool after backoff, then answers in degrade mode and opens one ticket", async () => {
    // The follow-up ticket goes to the email the visitor typed (never one only the model's call names).
    const m = unique("where is order FH-100873, my email is someone@example.org");
    const orderId = "FH-100873";
    await addDbFault({ marker: orderId, action: "drop", statement: 'from "orders"', times: 3 });
    await addLlmRule({
      match: m,
      responses: [
        {
          tool_calls: [{ name: "get_order", arguments: { order_id: orderId, email: "someone@example.org" } }],
        },
        { text: "I can't see that order right now." },
      ],
    });
    const { reply, threadId } = await openThread(m);
    expect(await dbFaultHits(orderId)).toBe(3);
    expect(reply.message.content).toBe(`I can't see that order right now.\n\n${replies.followUp}`);
    expect(reply.message.meta).toMatchObject({ outcome: "degraded:tool_unavailable", degraded: true });
    const recorded = await eventually(async () => {
      const rows = await callsOf(threadId);
      return rows.some((r) => r.tool === "create_ticket") ? rows : undefined;
    });
    expect(recorded.find((r) => r.tool === "get_order")).toMatchObject({ status: "failed", attempts: 3 });
    const ticketRows = await eventually(async () => {
      const rows = await query((db) => db.select().from(tickets).where(eq(tickets.threadId, threadId)));
      return rows.length > 0 ? rows : undefined;
    });
    expect(ticketRows).toHaveLength(1);
    expect(ticketRows[0]?.email).toBe("someone@example.org");
  });

  it("keeps the turn deadline: a slow tool gets only what is left, no retry, degrade with a ticket", async () => {
    const m = unique("slow lookup FH-100872");
    const orderId = "FH-100872";
    await addDbFault({ marker: orderId, action: "delay", statement: 'from "orders"', ms: 4_000, times: 1 });
    await addLlmRule({
      match: m,
      responses: [
        {
          delayMs: 2_900,
          tool_calls: [{ name: "get_order", arguments: { order_id: orderId, email: "x@example.org" } }],
        },
        { text: "I could not check it in time." },
      ],
    });
    const started = Date.now();
    const { reply, threadId } = await openThread(m);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(6_500);
    expect(reply.message.meta).toMatchObject({ outcome: "degraded:deadline", degraded: true });
    const [call] = await eventually(async () => {
      const rows = (await callsOf(threadId)).filter((r) => r.tool === "get_order");
      return rows.length > 0 ? rows : undefined;
    });
    expect(call).toMatchObject({ status: "failed", errorCode: "timeout:tool", attempts: 1 });
    expect(call?.latencyMs).toBeLessThanOrEqual(2_300);
  });

  it("redrafts a reply that cites a passage it never retrieved, then keeps only supported claims", async () => {
    const m = unique("how long do refunds take");
    await addLlmRule({
      match: m,
      responses: [
        { tool_calls: [{ name: "search_kb", arguments: { query: "refund timing", top_k: 3 } }] },
        { text: "Refunds are instant [S7]." },
        { text: "Card refunds take 5-10 business days [S1]. You also get a 20% voucher [S9]." },
      ],
    });
    const { reply } = await openThread(m);
    const sent = await llmRequests(m);
    expect(sent).toHaveLength(3);
    expect(JSON.stringify(sent[2]?.messages.at(-1))).toContain("did not cite its sources correctly");
    expect(reply.message.meta.outcome).toBe("answered:claims_dropped");
    expect(reply.message.content).toMatch(
      /^Card refunds take 5-10 business days \(See: \[.+\]\(https:\/\/help\.fernhill\.example\/articles\/.+\)\)\.$/,
    );
    expect(reply.message.content).not.toContain("voucher");
    expect(reply.message.citations).toHaveLength(1);
  });

  it("does not pass on knowledge-base claims without a citation", async () => {
    const m = unique("what is your returns window");
    await addLlmRule({
      match: m,
      responses: [
        { tool_calls: [{ name: "search_kb", arguments: { query: "returns window", top_k: 3 } }] },
        { text: "You have 90 days to return anything." },
        { text: "You have 90 days to return anything." },
      ],
    });
    const { reply } = await openThread(m);
    expect(reply.message.content).toBe(replies.notConfirmed);
    expect(reply.message.meta.outcome).toBe("uncited");
  });

  it("streams text deltas and ends with the authoritative message", async () => {
    const m = unique("hi stream");
    await addLlmRule({
      match: m,
      responses: [{ text: "Hello! This is a streamed answer. It has two sentences." }],
    });
    const events = await readEvents(await postMessage({ message: m }, { stream: true }));
    const deltas = events.filter((e) => e.event === "delta").map((e) => (e.data as { text: string }).text);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe("Hello! This is a streamed answer. It has two sentences.");
    expect(events.at(-1)).toMatchObject({
      event: "message",
      data: { message: { content: "Hello! This is a streamed answer. It has two sentences." } },
    });
  });

  it("never shows links to other hosts, images or secrets the model writes", async () => {
    const m = unique("hello injection");
    await addLlmRule({
      match: m,
      responses: [
        {
          text: "Click [here](https://evil.example/x?c=1) ![t](https://evil.example/p.png) key test-key-not-secret. See https://help.fernhill.example/articles/returns-policy",
        },
      ],
    });
    const { reply } = await openThread(m);
    expect(reply.message.content).not.toContain("evil.example");
    expect(reply.message.content).not.toContain("test-key-not-secret");
    expect(reply.message.content).toContain("https://help.fernhill.example/articles/returns-policy");
  });

  it("records the turn's metrics", async () => {
    const m = unique("hi metrics");
    await addLlmRule({
      match: m,
      responses: [{ text: "Hi!", usage: { prompt_tokens: 120, completion_tokens: 8 } }],
    });
    const { reply } = await openThread(m);
    const row = await eventually(async () => {
      const rows = await query((db) =>
        db
          .select()
          .from(turnMetrics)
          .where(eq(turnMetrics.turnId, reply.message.meta.turnId ?? "")),
      );
      return rows[0];
    });
    expect(row).toMatchObject({
      brain: "llm",
      model: "fake-primary",
      outcome: "answered",
      promptTokens: 120,
      completionTokens: 8,
      toolCalls: 0,
    });
  });
});
