/**
 * handoff_human: asks a person to take over the conversation. A side effect (it notifies staff), so it runs
 * from the tool-step queue, keyed by the call id; the thread switches to the handoff state at once.
 */
import { z } from "zod";
import { cleanString } from "../contracts/text.ts";
import { defineHand } from "./define-hand.ts";

export const handoffHumanInput = z.strictObject({
  reason: cleanString().trim().min(1).max(300).describe("Why a person should take over."),
  transcript_excerpt: cleanString()
    .max(2000)
    .describe("The few lines a person needs to pick up the conversation."),
});

export const handoffHumanOutput = z.object({ status: z.literal("requested") });

export const handoffHuman = defineHand({
  name: "handoff_human",
  description:
    "Hand the conversation to a human agent: when the visitor asks for a person, is upset, or the request is outside what you can do.",
  input: handoffHumanInput,
  output: handoffHumanOutput,
  dispatch: "queue",
  async run(input, ctx) {
    await ctx.ports.handoffs.request({
      callId: ctx.callId,
      threadId: ctx.threadId,
      channel: ctx.channel,
      reason: input.reason,
      excerpt: input.transcript_excerpt,
    });
    return { status: "requested" as const };
  },
});
