/**
 * The live channel: WebSocket frames between a thread's Durable Object and its listeners (the visitor's widget,
 * the console's conversation page), and the console hub's inbox frames. Every frame is one JSON object with a
 * `type`. The Durable Object stays the one writer: listeners only receive messages and send typing signals.
 * The widget imports these types with `import type` and checks frames by hand (widget/protocol.ts).
 */
import { z } from "zod";
import { ownerSchema, threadMessageSchema, threadStatusSchema } from "./thread.ts";

/** The subprotocol a live socket speaks; browsers cannot send headers, so the thread token rides beside it. */
export const LIVE_PROTOCOL = "support-agent.v1";
/** `token.<thread token>` and `identity.<sign-in JWT>` entries of Sec-WebSocket-Protocol carry the key. */
export const LIVE_TOKEN_PREFIX = "token.";
export const LIVE_IDENTITY_PREFIX = "identity.";

/** Server -> listener. */
export const liveEventSchema = z.discriminatedUnion("type", [
  /** A message was added (visitors never get notes, and of staff only the name). */
  z.object({ type: z.literal("message"), message: threadMessageSchema }),
  /** Status or owner changed: who answers now. */
  z.object({
    type: z.literal("status"),
    status: threadStatusSchema,
    owner: ownerSchema.pick({ name: true }).nullable(),
  }),
  /** Someone on the other side is typing (or stopped). */
  z.object({
    type: z.literal("typing"),
    from: z.enum(["visitor", "staff"]),
    name: z.string().optional(),
    on: z.boolean(),
  }),
]);
export type LiveEvent = z.infer<typeof liveEventSchema>;

/** Listener -> server: only typing; messages go through the HTTP API, which answers with their ids. */
export const liveInputSchema = z.strictObject({ type: z.literal("typing"), on: z.boolean() });
export type LiveInput = z.infer<typeof liveInputSchema>;

/** The one ConsoleHub Durable Object every console page listens to. */
export const CONSOLE_HUB_NAME = "inbox";

/** Console hub -> staff: a conversation changed (a handoff, a takeover, a visitor message); re-read the inbox. */
export const inboxEventSchema = z.object({
  type: z.literal("inbox"),
  thread_id: z.string(),
  status: threadStatusSchema,
});
export type InboxEvent = z.infer<typeof inboxEventSchema>;

/** Set by the Worker on the upgrade it forwards to the thread (after checking the credentials): who listens. */
export const LISTENER_HEADER = "x-live-listener";

export const listenerSchema = z.discriminatedUnion("role", [
  z.object({ role: z.literal("visitor") }),
  z.object({ role: z.literal("staff"), id: z.string(), name: z.string() }),
]);
export type Listener = z.infer<typeof listenerSchema>;
