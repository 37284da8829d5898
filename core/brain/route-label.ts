// The closed set of routes a brain can pick for one visitor message: one of the four Hands, or "none" for small talk
// and anything out of scope. Shared by the offline router, the routing eval and (later) the LLM brain's tool choice.
import { z } from "zod";

export const routeLabelSchema = z.enum(["search_kb", "get_order", "create_ticket", "handoff_human", "none"]);

export type RouteLabel = z.infer<typeof routeLabelSchema>;

export const routeLabels: readonly RouteLabel[] = routeLabelSchema.options;
