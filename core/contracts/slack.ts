/**
 * What the agent reads from Slack: the Events API envelope (url_verification, event_callback with a message in
 * a thread) and interactivity payloads (block_actions from the handoff message's buttons). Only the fields the
 * agent uses; everything else Slack sends passes through unread.
 */
import { z } from "zod";

export const slackEventEnvelopeSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("url_verification"), challenge: z.string().max(200) }),
  z.object({
    type: z.literal("event_callback"),
    event_id: z.string().max(100),
    event: z.object({
      type: z.string(),
      subtype: z.string().optional(),
      bot_id: z.string().optional(),
      user: z.string().optional(),
      channel: z.string().optional(),
      text: z.string().optional(),
      thread_ts: z.string().optional(),
      ts: z.string().optional(),
    }),
  }),
]);
export type SlackEventEnvelope = z.infer<typeof slackEventEnvelopeSchema>;

/** The buttons on a handoff's Slack message; each button's value is the thread id. */
export const slackActionIdSchema = z.enum(["takeover", "release", "close"]);

export const slackInteractionSchema = z.object({
  type: z.literal("block_actions"),
  user: z.object({ id: z.string() }),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});
export type SlackInteraction = z.infer<typeof slackInteractionSchema>;
