import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import type { ToolStep } from "../core/contracts/queue.ts";
import { tickets, toolCalls } from "../db/schema.ts";
import { openThread, readThread } from "../test-tools/agent-api.ts";
import { eventually, query } from "../test-tools/remote-controls.ts";
import worker from "../worker/index.ts";

const ticketStep = (threadId: string, callId: string): ToolStep => ({
  kind: "tool_step",
  callId,
  threadId,
  turnId: crypto.randomUUID(),
  tool: "create_ticket",
  args: {
    email: "visitor@example.com",
    subject: "Change my order",
    body: "Please change the size to L.",
    priority: "normal",
  },
  channel: "web",
  identity: null,
  enqueuedAt: new Date().toISOString(),
});

/** Delivers a batch to the Worker's queue handler; `vars` override settings (a new env parses its own config). */
/** The tool_calls row a thread writes when it queues a create_ticket step. */
function queuedTicketCall(threadId: string, callId: string) {
  return query((db) =>
    db.insert(toolCalls).values({
      id: callId,
      threadId,
      turnId: "t",
      tool: "create_ticket",
      dispatch: "queue",
      status: "queued",
    }),
  );
}

async function deliver(queue: string, bodies: unknown[], attempts = 1, vars: Record<string, string> = {}) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body, i) => ({
      id: `msg-${crypto.randomUUID()}-${i}`,
      timestamp: new Date(),
      attempts,
      body,
    })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, Object.keys(vars).length > 0 ? { ...env, ...vars } : env, ctx);
  return getQueueResult(batch, ctx);
}

describe("tool-step queue consumer", () => {
  it("opens exactly one ticket when the same step is delivered twice", async () => {
    const { threadId, token } = await openThread("hello");
    const callId = `call_${crypto.randomUUID()}`;
    const first = await deliver("tool-steps", [ticketStep(threadId, callId)]);
    const second = await deliver("tool-steps", [ticketStep(threadId, callId)]);
    expect(first.explicitAcks).toHaveLength(1);
    expect(second.explicitAcks).toHaveLength(1);
    const rows = await query((db) => db.select().from(tickets).where(eq(tickets.callId, callId)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      threadId,
      email: "visitor@example.com",
      priority: "normal",
      reference: expect.stringMatching(/^FH-[A-Z0-9]{8}$/),
    });
    // The thread says so once, not twice.
    const view = await readThread(threadId, token);
    expect(view.body.messages.filter((m) => m.role === "event")).toHaveLength(1);
    expect(view.body.messages.at(-1)?.content).toContain(rows[0]?.reference);
  });

  it("acks a body it cannot parse instead of retrying it forever", async () => {
    const result = await deliver("tool-steps", [{ kind: "tool_step", callId: 5 }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(0);
  });

  it("records a dead-lettered step and tells the thread", async () => {
    const { threadId, token } = await openThread("hello");
    const callId = `call_${crypto.randomUUID()}`;
    await queuedTicketCall(threadId, callId);
    const result = await deliver("tool-steps-dlq", [ticketStep(threadId, callId)], 3);
    expect(result.explicitAcks).toHaveLength(1);
    const view = await eventually(async () => {
      const v = await readThread(threadId, token);
      return v.body.messages.some((m) => m.role === "event") ? v : undefined;
    });
    expect(view.body.messages.at(-1)?.content).toContain("couldn't open a support ticket");
    const rows = await query((db) => db.select().from(tickets).where(eq(tickets.callId, callId)));
    expect(rows).toHaveLength(0);
    const [call] = await query((db) => db.select().from(toolCalls).where(eq(toolCalls.id, callId)));
    expect(call).toMatchObject({
      status: "dead_lettered",
      errorCode: "unavailable:retries_exhausted",
      attempts: 3,
    });
  });

  it("logs at the level LOG_LEVEL sets", async () => {
    const { threadId } = await openThread("hello");
    const logged: unknown[] = [];
    const spies = (["log", "warn", "error", "debug", "info"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(...args)),
    );
    const done = () =>
      logged.filter(
        (r) => typeof r === "object" && r !== null && Reflect.get(r, "event") === "queue.step_done",
      );
    try {
      await deliver("tool-steps", [ticketStep(threadId, `call_${crypto.randomUUID()}`)], 1, {
        LOG_LEVEL: "warn",
      });
      expect(done()).toEqual([]);
      await deliver("tool-steps", [ticketStep(threadId, `call_${crypto.randomUUID()}`)], 1, {
        LOG_LEVEL: "info",
      });
      expect(done()).toEqual([expect.objectContaining({ level: "info", tool: "create_ticket" })]);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it("reaches the consumer through the real queue binding", async () => {
    const { threadId } = await openThread("hello");
    const callId = `call_${crypto.randomUUID()}`;
    await queuedTicketCall(threadId, callId);
    await env.TOOL_STEPS.send(ticketStep(threadId, callId));
    const call = await eventually(async () => {
      const [row] = await query((db) => db.select().from(toolCalls).where(eq(toolCalls.id, callId)));
      return row?.status === "succeeded" ? row : undefined;
    });
    expect(call.result).toMatchObject({ status: "opened" });
  });
});
