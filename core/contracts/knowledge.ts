/**
 * Boundaries of the Knowledge admin endpoints: the retrieval tester's body and the unanswered list's query.
 * Shared by worker/routes/admin-knowledge.ts and the console's Knowledge page (which reads the same values
 * from its GET form).
 */
import { z } from "zod";
import { searchKbInput } from "../hands/search-kb.ts";
import { channelSchema } from "./thread.ts";

export const kbSearchBodySchema = z.strictObject({
  /** The same limits as the question search_kb accepts from the Brain. */
  query: searchKbInput.shape.query,
  channel: channelSchema.default("web"),
});
export type KbSearchBody = z.infer<typeof kbSearchBodySchema>;

export const unansweredQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(90).default(30),
  /** Groups answered, biggest first. */
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
