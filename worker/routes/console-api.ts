/**
 * The console API (`/api/console/*`, see core/contracts/console.ts): the inbox and a conversation's
 * transcript over Postgres, and the actions on a conversation (take over, release, close, reply or note),
 * which the thread's Durable Object decides. Every request carries a staff session cookie (with its CSRF token when it changes
 * something) or `Authorization: Bearer <staff API token>`; without either it is 401.
 */
import { type Context, Hono } from "hono";
import type { z } from "zod";
import {
  actionBodySchema,
  closeBodySchema,
  inboxQuerySchema,
  staffMessageBodySchema,
} from "../../core/contracts/console.ts";
import { parseId } from "../../core/contracts/ids.ts";
import { CONSOLE_HUB_NAME } from "../../core/contracts/live.ts";
import { AppError } from "../../core/errors.ts";
import { inbox, transcript } from "../../db/console.ts";
import { runStaffAction } from "../console/staff-actions.ts";
import { type ConsoleEnv, consoleDb, requireStaff } from "../console/staff-auth.ts";
import { forwardUpgrade, requireUpgrade } from "../live-upgrade.ts";
import { readJsonBody } from "../middleware/json-body.ts";

/** A page on another site must not open a staff socket with the person's cookie (WebSockets skip CORS). */
function sameOrigin(c: Context<ConsoleEnv>): void {
  const origin = c.req.header("origin");
  if (origin !== undefined && origin !== new URL(c.req.url).origin)
    throw new AppError("forbidden:origin", "The console's live channel is for the console's own pages.");
}

/** Takeover, release and close may come without a body (`{"reason"?}` is optional). */
function optionalBody<S extends z.ZodType>(c: Context<ConsoleEnv>, schema: S): Promise<z.output<S>> {
  const empty = c.req.header("content-length") === "0" || !c.req.raw.body;
  return empty ? Promise.resolve(schema.parse({})) : readJsonBody(c, schema);
}

const conversationState = (threadId: string, state: { status: string; owner: unknown }) => ({
  conversation: { thread_id: threadId, status: state.status, owner: state.owner },
});

export const consoleApiRoutes = new Hono<ConsoleEnv>()
  .use(consoleDb, requireStaff({ html: false }))
  .get("/me", (c) => c.json({ staff: c.var.staff }, 200, { "cache-control": "no-store" }))
  .get("/conversations", async (c) => {
    const query = inboxQuerySchema.safeParse(c.req.query());
    if (!query.success) {
      const field = String(query.error.issues[0]?.path[0] ?? "query");
      throw new AppError(
        `invalid_input:${field}`,
        `Invalid ${field}: status is handoff, open, mine or closed.`,
      );
    }
    const list = await inbox(c.var.db.get(), query.data, c.var.staff.id);
    return c.json(list, 200, { "cache-control": "no-store" });
  })
  .get("/conversations/:id", async (c) => {
    const id = parseId(c.req.param("id"));
    const found = id ? await transcript(c.var.db.get(), id) : null;
    if (!found) throw new AppError("not_found:conversation", "No conversation with this id.");
    return c.json(found, 200, { "cache-control": "no-store" });
  })
  .get("/live", (c) => {
    // The inbox, live: every console page hears when a conversation changes.
    requireUpgrade(c);
    sameOrigin(c);
    return forwardUpgrade(c, c.env.CONSOLE_HUB.getByName(CONSOLE_HUB_NAME), null);
  })
  .get("/conversations/:id/live", (c) => {
    requireUpgrade(c);
    sameOrigin(c);
    const id = parseId(c.req.param("id"));
    if (!id) throw new AppError("not_found:conversation", "No conversation with this id.");
    const { id: staffId, name } = c.var.staff;
    return forwardUpgrade(c, c.env.THREAD.getByName(id), { role: "staff", id: staffId, name });
  })
  .post("/conversations/:id/takeover", async (c) => {
    await optionalBody(c, actionBodySchema);
    const { threadId, result } = await runStaffAction(c, { kind: "takeover" });
    return c.json(conversationState(threadId, result));
  })
  .post("/conversations/:id/release", async (c) => {
    const body = await optionalBody(c, actionBodySchema);
    const { threadId, result } = await runStaffAction(c, { kind: "release", reason: body.reason });
    return c.json(conversationState(threadId, result));
  })
  .post("/conversations/:id/close", async (c) => {
    const body = await optionalBody(c, closeBodySchema);
    const { threadId, result } = await runStaffAction(c, { kind: "close", reason: body.reason });
    return c.json(conversationState(threadId, result));
  })
  .post("/conversations/:id/messages", async (c) => {
    const body = await readJsonBody(c, staffMessageBodySchema);
    const internal = body.internal === true;
    const { threadId, result } = await runStaffAction(c, {
      kind: "message",
      content: body.content,
      internal,
    });
    const sent = result.messages.find((m) => m.role === (internal ? "note" : "staff"));
    return c.json(
      {
        ...conversationState(threadId, result),
        message: sent
          ? {
              id: sent.id,
              seq: sent.seq,
              role: sent.role,
              content: sent.content,
              author: c.var.staff.name,
              created_at: sent.createdAt,
            }
          : null,
      },
      201,
    );
  });
