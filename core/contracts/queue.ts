/**
 * Messages on the tool-step queue. A side-effecting tool call travels here from the thread that decided it to
 * the consumer that performs it; the call id keys every side effect, because delivery is at least once.
 */
import { z } from "zod";
import { toolNameSchema } from "../hands/registry.ts";
import { channelSchema, identitySchema } from "./thread.ts";

export const toolStepSchema = z.object({
  kind: z.literal("tool_step"),
  callId: z.string().min(1),
  threadId: z.uuid(),
  turnId: z.string().min(1),
  tool: toolNameSchema,
  args: z.unknown(),
  channel: channelSchema,
  identity: identitySchema.nullable(),
  enqueuedAt: z.string(),
});
export type ToolStep = z.infer<typeof toolStepSchema>;

/** What the consumer tells the thread once a step has settled (or finally failed). */
export const stepReportSchema = z.object({
  callId: z.string(),
  tool: toolNameSchema,
  ok: z.boolean(),
  reference: z.string().nullable(),
});
export type StepReport = z.infer<typeof stepReportSchema>;

/** Rebuild the knowledge-base index: from the admin endpoint or the daily cron. */
export const kbRebuildSchema = z.object({
  kind: z.literal("rebuild_kb_index"),
  reason: z.enum(["admin", "cron", "continue"]),
  requestedAt: z.string(),
});
export type KbRebuild = z.infer<typeof kbRebuildSchema>;

/** Run the golden evals once (queues/eval-job.ts): the row in eval_runs exists, queued, before the message. */
export const evalRunMessageSchema = z.object({
  kind: z.literal("run_evals"),
  runId: z.uuid(),
});
export type EvalRunMessage = z.infer<typeof evalRunMessageSchema>;
