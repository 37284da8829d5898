/**
 * The pure end of a turn: what the thread stores and sends for a turn's result, for a thread waiting on a
 * person, and for a message that could not be answered after every attempt (the generic apology, with the
 * ticket opened for it), plus the text a settled queue step adds to the thread. No I/O: ids and time come in.
 * Used by conversation.ts.
 */

import type { Language } from "../core/brain/languages.ts";
import type { StepReport } from "../core/contracts/queue.ts";
import type { ThreadMessage } from "../core/contracts/thread.ts";
import { repliesIn } from "../core/orchestrator/replies.ts";
import type { RecordedToolCall, TurnMetricsRow } from "../db/record.ts";
import type { TurnResult } from "./turn-ledger.ts";

/** What a turn produced, as the thread keeps it: the reply without its sequence number yet. */
export interface TurnOutcome {
  message: Omit<ThreadMessage, "seq">;
  toolCalls: RecordedToolCall[];
  metrics: TurnMetricsRow | null;
  handoff: boolean;
}

export interface MessageStamp {
  id: string;
  turnId: string;
  createdAt: string;
}

/** A turn's result as the assistant message of the thread. */
export function outcomeOfTurn(
  result: TurnResult,
  brain: { kind: "llm" | "offline"; model: string | null },
  stamp: MessageStamp,
): TurnOutcome {
  const { reply } = result;
  return {
    message: {
      id: stamp.id,
      role: "assistant",
      content: reply.text,
      citations: reply.citations,
      meta: {
        ...reply.meta,
        turnId: stamp.turnId,
        outcome: reply.outcome,
        brain: brain.kind,
        ...(brain.kind === "offline" ? { offline: true } : brain.model ? { model: brain.model } : {}),
        ...(reply.ticketReference ? { ticketReference: reply.ticketReference } : {}),
      },
      createdAt: stamp.createdAt,
    },
    toolCalls: result.toolCalls,
    metrics: result.metrics,
    handoff: result.handoff,
  };
}

/** While a person is on the way the agent only acknowledges, without a model call. */
export function handoffWaitingOutcome(stamp: MessageStamp, language?: Language): TurnOutcome {
  return {
    message: {
      id: stamp.id,
      role: "assistant",
      content: repliesIn(language).handoffWaiting,
      citations: [],
      meta: { turnId: stamp.turnId, outcome: "handoff:waiting" },
      createdAt: stamp.createdAt,
    },
    toolCalls: [],
    metrics: null,
    handoff: false,
  };
}

/** The answer to a message every attempt failed on: the generic apology, and the ticket when one opened. */
export function gaveUpOutcome(
  stamp: MessageStamp,
  ticketReference: string | undefined,
  language?: Language,
): TurnOutcome {
  return {
    message: {
      id: stamp.id,
      role: "assistant",
      content: repliesIn(language).brainUnavailable,
      citations: [],
      meta: {
        turnId: stamp.turnId,
        outcome: "failed:turn",
        degraded: true,
        ...(ticketReference ? { ticketReference } : {}),
      },
      createdAt: stamp.createdAt,
    },
    toolCalls: [],
    metrics: null,
    handoff: false,
  };
}

/** The visitor's message as the thread records it. */
export function userMessage(
  entry: { message_id: string; content: string; client_id: string | null; received_at: string },
  seq: number,
): ThreadMessage {
  return {
    id: entry.message_id,
    seq,
    role: "user",
    content: entry.content,
    citations: [],
    meta: entry.client_id ? { clientId: entry.client_id } : {},
    createdAt: entry.received_at,
  };
}

/** What a settled (or finally failed) side effect tells the visitor; null when it says nothing. */
export function stepMessageText(report: StepReport, supportHours: string): string | null {
  if (!report.ok) {
    return report.tool === "handoff_human"
      ? "We couldn't reach our support team automatically. Please email us and mention this conversation."
      : "We couldn't open a support ticket automatically. Our team has been alerted and will follow up.";
  }
  if (report.tool === "create_ticket")
    return `Support ticket ${report.reference ?? ""} is open. Our team will reply by email.`;
  if (report.tool === "handoff_human") return `Our support team has been notified (${supportHours}).`;
  return null;
}
