/**
 * The public chat API: request bodies, responses and the SSE events of a streamed turn. The widget imports these
 * types with `import type`, so zod stays out of its bundle.
 */
import { z } from "zod";
import { idSchema } from "./ids.ts";
import { strictString } from "./text.ts";
import { channelSchema, citationSchema, threadMessageSchema, threadStatusSchema } from "./thread.ts";

export const MESSAGE_MAX_CHARS = 4000;
/** Large enough for 4000 characters of any script (4 bytes each in UTF-8) plus the envelope. */
export const BODY_MAX_BYTES = 20_000;

// NUL and other control characters are refused (400 invalid_input:message), the text is NFC.
const messageText = strictString()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, "message is empty")
      .max(MESSAGE_MAX_CHARS, `message is over ${MESSAGE_MAX_CHARS} characters`),
  );

export const postMessageBodySchema = z.strictObject({
  message: messageText,
  /** Omitted on the first message: the server opens a thread and returns its id and token. */
  thread_id: idSchema.optional(),
  /** Set by the client per message so a retried request is answered once, not twice. */
  client_message_id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
});
export type PostMessageBody = z.infer<typeof postMessageBodySchema>;

export const feedbackBodySchema = z.strictObject({
  thread_id: idSchema,
  message_id: idSchema,
  rating: z.enum(["up", "down"]),
  tags: z
    .array(
      z.enum(["helpful", "accurate", "fast", "wrong", "outdated", "unclear", "rude", "no_answer", "other"]),
    )
    .max(9)
    .default([]),
  comment: strictString()
    .transform((s) => s.trim())
    .pipe(z.string().max(1000))
    .optional(),
});
export type FeedbackBody = z.infer<typeof feedbackBodySchema>;

export const threadQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const replySchema = z.object({
  thread_id: z.string(),
  /** Present only when this request opened the thread: the one time the token is shown. */
  thread_token: z.string().optional(),
  status: threadStatusSchema,
  message: threadMessageSchema,
});
export type Reply = z.infer<typeof replySchema>;

export const threadViewSchema = z.object({
  thread_id: z.string(),
  channel: channelSchema,
  status: threadStatusSchema,
  messages: z.array(threadMessageSchema),
});
export type ThreadView = z.infer<typeof threadViewSchema>;

/** A signed-in visitor's recent conversations, newest first, on any device. */
export const recentThreadsSchema = z.object({
  threads: z.array(
    z.object({
      thread_id: z.string(),
      status: threadStatusSchema,
      updated_at: z.string(),
      /** The start of the latest reply, so the visitor recognises the conversation. */
      preview: z.string(),
    }),
  ),
});
export type RecentThreads = z.infer<typeof recentThreadsSchema>;

/** Server-sent events of one turn, in order: thread?, status*, delta*, (replace)?, message | error. */
export const turnEventSchema = z.discriminatedUnion("event", [
  z.object({
    event: z.literal("thread"),
    data: z.object({ thread_id: z.string(), thread_token: z.string().optional() }),
  }),
  z.object({
    event: z.literal("status"),
    data: z.object({
      stage: z.enum(["queued", "thinking", "tool", "drafting"]),
      tool: z.string().optional(),
      state: z.enum(["started", "succeeded", "failed", "queued"]).optional(),
    }),
  }),
  z.object({ event: z.literal("delta"), data: z.object({ text: z.string() }) }),
  /** The guardrail changed text already streamed: the client shows this text instead. */
  z.object({ event: z.literal("replace"), data: z.object({ text: z.string() }) }),
  z.object({ event: z.literal("citations"), data: z.object({ citations: z.array(citationSchema) }) }),
  z.object({ event: z.literal("message"), data: replySchema }),
  z.object({ event: z.literal("error"), data: z.object({ code: z.string(), message: z.string() }) }),
]);
export type TurnEvent = z.infer<typeof turnEventSchema>;

export interface ApiErrorBody {
  error: { code: string; message: string };
}
