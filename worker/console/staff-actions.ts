/**
 * Staff actions on a conversation (take over, release, close, reply or note), shared by the console API and the
 * console's plain forms: the Thread Durable Object decides and is the one writer; this sends the signed-in
 * person's id and display name (never the email) and turns a refusal into its API error.
 */
import type { Context } from "hono";
import { parseId } from "../../core/contracts/ids.ts";
import type { ThreadMessage } from "../../core/contracts/thread.ts";
import { AppError } from "../../core/errors.ts";
import type { Ownership, StaffAction } from "../../core/handoff/ownership.ts";
import { throughThread } from "../http-errors.ts";
import type { ConsoleEnv } from "./staff-auth.ts";

type WithoutStaff<A> = A extends unknown ? Omit<A, "staff"> : never;
export type ActionRequest = WithoutStaff<StaffAction>;

export async function runStaffAction(
  c: Context<ConsoleEnv>,
  request: ActionRequest,
): Promise<{ threadId: string; result: Ownership & { messages: ThreadMessage[] } }> {
  const threadId = parseId(c.req.param("id") ?? "");
  if (!threadId) throw new AppError("not_found:conversation", "No conversation with this id.");
  const staff = { id: c.var.staff.id, name: c.var.staff.name };
  const action = { ...request, staff } as StaffAction;
  const result = await throughThread(async () => await c.env.THREAD.getByName(threadId).staffAction(action));
  if (!result.ok) throw new AppError(result.code, result.message);
  return { threadId, result: result.value };
}
