/**
 * The staff console's API (`/api/console/*`): who staff are, the inbox, a conversation's transcript with its
 * handoff summary, and the actions on a conversation. The console's own pages and scripts use the same routes,
 * and so can any tool holding a staff API token.
 */
import { z } from "zod";
import { MESSAGE_MAX_CHARS } from "./api.ts";
import { channelSchema, citationSchema, ownerSchema, threadStatusSchema } from "./thread.ts";

export const staffRoleSchema = z.enum(["agent", "admin"]);
export type StaffRole = z.infer<typeof staffRoleSchema>;

export const staffMemberSchema = z.object({
  id: z.string(),
  email: z.string(),
  /** The name visitors see on staff messages. */
  name: z.string(),
  role: staffRoleSchema,
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

export { type Owner, ownerSchema } from "./thread.ts";

export const inboxFilterSchema = z.enum(["handoff", "open", "mine", "closed"]);
export type InboxFilter = z.infer<typeof inboxFilterSchema>;

export const inboxQuerySchema = z.strictObject({
  status: inboxFilterSchema.optional(),
  channel: channelSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type InboxQuery = z.infer<typeof inboxQuerySchema>;

export const conversationRowSchema = z.object({
  thread_id: z.string(),
  status: threadStatusSchema,
  channel: channelSchema,
  /** When it started waiting for a person; null when nobody is waited for. */
  waiting_since: z.string().nullable(),
  owner: ownerSchema.optional(),
  /** One line: why a person was asked for, or what the visitor wrote last. */
  summary: z.string().optional(),
  updated_at: z.string(),
});
export type ConversationRow = z.infer<typeof conversationRowSchema>;

export const inboxSchema = z.object({ conversations: z.array(conversationRowSchema) });
export type Inbox = z.infer<typeof inboxSchema>;

/** What a person needs before reading the transcript. Extractive unless a model wrote it (then labelled). */
export const handoffSummarySchema = z.object({
  source: z.enum(["extractive", "model"]),
  model: z.string().optional(),
  why: z.string().nullable(),
  wants: z.string().nullable(),
  order_numbers: z.array(z.string()),
  emails: z.array(z.string()),
  answered: z.array(z.string()),
  /** The model's own words, when source is "model". */
  text: z.string().optional(),
});
export type HandoffSummary = z.infer<typeof handoffSummarySchema>;

export const transcriptRoleSchema = z.enum(["user", "assistant", "staff", "note", "event"]);

export const toolUseSchema = z.object({
  tool: z.string(),
  status: z.string(),
  latency_ms: z.number().nullable(),
  detail: z.string(),
});
export type ToolUse = z.infer<typeof toolUseSchema>;

export const transcriptMessageSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  role: transcriptRoleSchema,
  content: z.string(),
  /** Staff messages and notes: who wrote them. */
  author: z.string().optional(),
  citations: z.array(citationSchema),
  /** Assistant messages: the tools the bot used for this reply. */
  tools: z.array(toolUseSchema),
  created_at: z.string(),
});
export type TranscriptMessage = z.infer<typeof transcriptMessageSchema>;

export const transcriptSchema = z.object({
  thread_id: z.string(),
  status: threadStatusSchema,
  channel: channelSchema,
  waiting_since: z.string().nullable(),
  owner: ownerSchema.nullable(),
  closed_reason: z.string().nullable(),
  /** The signed-in visitor's verified email, when the site signed them in. */
  visitor_email: z.string().nullable(),
  summary: handoffSummarySchema,
  /** Each model summary, when there is one, sits beside the extractive one. */
  model_summary: handoffSummarySchema.nullable(),
  messages: z.array(transcriptMessageSchema),
});
export type Transcript = z.infer<typeof transcriptSchema>;

export const closeReasonSchema = z.enum(["resolved", "no_reply", "spam"]);
export type CloseReason = z.infer<typeof closeReasonSchema>;

export const actionBodySchema = z.strictObject({ reason: z.string().trim().max(300).optional() });
export const closeBodySchema = z.strictObject({ reason: closeReasonSchema.default("resolved") });

export const staffMessageBodySchema = z.strictObject({
  content: z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, "content is empty").max(MESSAGE_MAX_CHARS)),
  internal: z.boolean().optional(),
});
export type StaffMessageBody = z.infer<typeof staffMessageBodySchema>;
