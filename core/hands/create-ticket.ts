/**
 * create_ticket: opens a support case for a person to handle (cancellations, changes, refunds, anything the
 * agent may not do itself). A side effect, so it runs from the tool-step queue, keyed by the call id.
 */
import { z } from "zod";
import { cleanString } from "../contracts/text.ts";
import { callReference } from "../ids.ts";
import { defineHand } from "./define-hand.ts";

export const createTicketInput = z.strictObject({
  email: cleanString()
    .trim()
    .email()
    .max(254)
    .nullable()
    .describe("Where the team should reply; null if the visitor is logged in or gave none."),
  subject: cleanString().trim().min(3).max(160).describe("A short summary of the request."),
  body: cleanString().trim().min(1).max(4000).describe("What the visitor needs, with the relevant details."),
  priority: z.enum(["low", "normal", "high", "urgent"]).describe("urgent only for safety or fraud."),
});

export const createTicketOutput = z.object({ reference: z.string(), status: z.literal("opened") });

export const createTicket = defineHand({
  name: "create_ticket",
  description:
    "Open a support ticket for the shop's team: order cancellations or changes, address changes, refunds, payment problems, damaged items, or anything you cannot resolve. Tell the visitor the reference.",
  input: createTicketInput,
  output: createTicketOutput,
  dispatch: "queue",
  async run(input, ctx) {
    const reference = await callReference(ctx.callId);
    await ctx.ports.tickets.open({
      callId: ctx.callId,
      reference,
      threadId: ctx.threadId,
      email: input.email ?? ctx.identity?.email ?? null,
      subject: input.subject,
      body: input.body,
      priority: input.priority,
    });
    return { reference, status: "opened" as const };
  },
});
