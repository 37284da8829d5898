/**
 * Consumer of the tool-step queue: parse -> run the Hand -> record -> tell the thread -> email a ticket's
 * confirmation -> ack, or retry.
 * Delivery is at least once, so every Hand's side effect is keyed by the call id; a body that cannot be parsed
 * is acked and logged as poison, since no retry could fix it.
 */
import { loadConfig } from "../core/config.ts";
import { type ToolStep, toolStepSchema } from "../core/contracts/queue.ts";
import { createTicketInput } from "../core/hands/create-ticket.ts";
import { handoffHumanInput } from "../core/hands/handoff-human.ts";
import { hands } from "../core/hands/registry.ts";
import { createLogger, type Logger } from "../core/log.ts";
import { aiBindingOf } from "../core/retrieval/workers-ai-embedder.ts";
import type { WebhookEvent } from "../core/webhooks/contracts.ts";
import { lazyDb } from "../db/client.ts";
import { handPortsFor } from "../db/hand-ports.ts";
import { settleToolCall } from "../db/record.ts";
import { emitWebhookEvent } from "../db/webhook-outbox.ts";
import { notifyStaff } from "./notify-staff.ts";
import { emailTicketConfirmation } from "./ticket-email.ts";

const RETRY_BASE_SECONDS = 2;

export async function consumeToolSteps(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const log = createLogger({ queue: batch.queue }, loadConfig(env).config.logLevel);
  for (const message of batch.messages) {
    const parsed = toolStepSchema.safeParse(message.body);
    if (!parsed.success) {
      log.error("queue.poison", { messageId: message.id, issues: parsed.error.issues.length });
      message.ack();
      continue;
    }
    try {
      await performStep(parsed.data, env, message.attempts, log);
      message.ack();
    } catch (error) {
      const delaySeconds = RETRY_BASE_SECONDS ** message.attempts;
      log.warn("queue.retried", {
        callId: parsed.data.callId,
        tool: parsed.data.tool,
        attempt: message.attempts,
        delaySeconds,
        error,
      });
      message.retry({ delaySeconds });
    }
  }
}

async function performStep(step: ToolStep, env: Env, attempts: number, log: Logger): Promise<void> {
  const hand = hands[step.tool];
  const input = hand.input.safeParse(step.args);
  const db = lazyDb(env.HYPERDRIVE.connectionString);
  try {
    if (!input.success) {
      // The thread validated these arguments before sending them; if they no longer parse, retrying won't help.
      await settleToolCall(db.get(), step.callId, {
        status: "failed",
        errorCode: "invalid_input:args",
        attempts,
      });
      await env.THREAD.getByName(step.threadId).settleStep({
        callId: step.callId,
        tool: step.tool,
        ok: false,
        reference: null,
      });
      return;
    }
    const output = hand.output.parse(
      await hand.run(input.data, {
        callId: step.callId,
        threadId: step.threadId,
        channel: step.channel,
        identity: step.identity,
        now: new Date(),
        signal: AbortSignal.timeout(10_000),
        ports: handPortsFor(db.get(), loadConfig(env).config, { ai: aiBindingOf(env) }, (h) =>
          notifyStaff(env, { ...h, channel: step.channel }),
        ),
      }),
    );
    await settleToolCall(db.get(), step.callId, { status: "succeeded", result: output, attempts });
    const reference =
      typeof output === "object" && output !== null && "reference" in output
        ? String(output.reference)
        : null;
    await env.THREAD.getByName(step.threadId).settleStep({
      callId: step.callId,
      tool: step.tool,
      ok: true,
      reference,
    });
    // The visitor who gave an address gets the reference by email too (once per call id; a throw retries).
    const ticket = step.tool === "create_ticket" ? createTicketInput.safeParse(step.args) : null;
    if (ticket?.success && reference && (ticket.data.email || step.channel === "email"))
      await emailTicketConfirmation(
        db.get(),
        env.SEND_EMAIL,
        loadConfig(env).config,
        {
          callId: step.callId,
          threadId: step.threadId,
          email: ticket.data.email,
          subject: ticket.data.subject,
          reference,
        },
        log,
      );
    log.info("queue.step_done", { callId: step.callId, tool: step.tool, attempt: attempts });
    const event = webhookEventOf(step, reference);
    if (event) {
      const emitter = {
        db: db.get(),
        queue: env.WEBHOOKS,
        publicUrl: loadConfig(env).config.webhooks.publicUrl,
        log,
      };
      // Keyed by the call id: a step the queue delivers again emits nothing new.
      await emitWebhookEvent(emitter, event, { key: step.callId, at: new Date() });
    }
  } finally {
    await db.close();
  }
}

/**
 * What a finished side effect tells webhook receivers: a new ticket, or a request for a person; the text
 * (never the email) as content, for endpoints that opted in.
 */
function webhookEventOf(step: ToolStep, reference: string | null): WebhookEvent | null {
  if (step.tool === "create_ticket" && reference) {
    const parsed = createTicketInput.safeParse(step.args);
    return {
      type: "ticket.created",
      data: {
        ticket_reference: reference,
        thread_id: step.threadId,
        priority: parsed.success ? parsed.data.priority : "normal",
      },
      ...(parsed.success ? { content: { subject: parsed.data.subject, body: parsed.data.body } } : {}),
    };
  }
  if (step.tool === "handoff_human") {
    const parsed = handoffHumanInput.safeParse(step.args);
    return {
      type: "handoff.requested",
      data: { thread_id: step.threadId, channel: step.channel },
      ...(parsed.success
        ? { content: { reason: parsed.data.reason, transcript_excerpt: parsed.data.transcript_excerpt } }
        : {}),
    };
  }
  return null;
}
