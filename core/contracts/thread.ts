/**
 * What a thread is, shared by the Worker, the Thread Durable Object, the queue consumers and the widget protocol.
 */
import { z } from "zod";

export const channelSchema = z.enum(["web", "slack", "email"]);
export type Channel = z.infer<typeof channelSchema>;

/**
 * open: the agent answers. handoff: a person has been asked for or has taken over (then the thread has an
 * owner and the agent stays quiet). closed: staff closed it; a new visitor message opens it again.
 */
export const threadStatusSchema = z.enum(["open", "handoff", "closed"]);
export type ThreadStatus = z.infer<typeof threadStatusSchema>;

/** staff: a person's reply (the visitor sees it); note: staff-only, never shown to the visitor or the Brain. */
export const messageRoleSchema = z.enum(["user", "assistant", "event", "staff", "note"]);
export type MessageRole = z.infer<typeof messageRoleSchema>;

export const citationSchema = z.object({
  ref: z.string(),
  chunkId: z.string(),
  docId: z.string(),
  title: z.string(),
  url: z.string(),
});
export type Citation = z.infer<typeof citationSchema>;

/** Facts about a reply that clients and ops need: which brain answered, whether it degraded, what it waits for. */
export const messageMetaSchema = z.object({
  turnId: z.string().optional(),
  brain: z.enum(["llm", "offline"]).optional(),
  model: z.string().optional(),
  offline: z.boolean().optional(),
  outcome: z.string().optional(),
  degraded: z.boolean().optional(),
  /** What the agent asked the visitor for, so the next message can complete the request. */
  awaiting: z.enum(["order_details", "email"]).optional(),
  awaitingTool: z.string().optional(),
  ticketReference: z.string().optional(),
  clientId: z.string().optional(),
  /** Staff messages, notes and staff events: who. The visitor's view keeps the name only. */
  staffId: z.string().optional(),
  staffName: z.string().optional(),
});
export type MessageMeta = z.infer<typeof messageMetaSchema>;

export const threadMessageSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  role: messageRoleSchema,
  content: z.string(),
  citations: z.array(citationSchema),
  meta: messageMetaSchema,
  createdAt: z.string(),
});
export type ThreadMessage = z.infer<typeof threadMessageSchema>;

/** The staff member who owns a thread, as the thread and the visitor see it (never an email). */
export const ownerSchema = z.object({ id: z.string(), name: z.string() });
export type Owner = z.infer<typeof ownerSchema>;

/** A visitor identity proven by the site (a signed token), never something the visitor typed. */
export const identitySchema = z.object({
  sub: z.string(),
  email: z.string(),
  name: z.string().optional(),
});
export type Identity = z.infer<typeof identitySchema>;

/**
 * What opens a thread: its token, or a signed-in visitor whose verified identity (checked by the Worker) is the
 * one the thread was opened with, so the same person can continue on another device.
 */
export const threadKeySchema = z.object({ token: z.string().nullable(), viewerSub: z.string().nullable() });
export type ThreadKey = z.infer<typeof threadKeySchema>;
