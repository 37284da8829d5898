/**
 * The chat API: send a message (JSON or SSE), read a thread, rate a reply. Every thread-scoped request
 * carries the thread's token as `Authorization: Bearer`; a missing or wrong token and an unknown thread get
 * the same 404, so ids cannot be probed. A site that signs its visitors in sends `X-Identity-Token` (the
 * WordPress plugin's short-lived JWT) with the first message; the verified identity stays with the thread.
 * Rate limits (worker/middleware/rate-limits.ts) run after the body and the sign-in are read and before any
 * Durable Object is touched.
 */
import { type Context, Hono } from "hono";
import { feedbackBodySchema, postMessageBodySchema, threadQuerySchema } from "../../core/contracts/api.ts";
import { parseId } from "../../core/contracts/ids.ts";
import type { Identity, ThreadKey } from "../../core/contracts/thread.ts";
import { AppError, type Failure } from "../../core/errors.ts";
import { newId, newSecretToken } from "../../core/ids.ts";
import { createLogger } from "../../core/log.ts";
import { lazyDb } from "../../db/client.ts";
import { recentThreads, saveFeedback } from "../../db/record.ts";
import { emitWebhookEvent } from "../../db/webhook-outbox.ts";
import type { AppEnv } from "../app.ts";
import { bearerToken } from "../bearer.ts";
import { throughThread } from "../http-errors.ts";
import { identityFromRequest } from "../identity.ts";
import { forwardUpgrade, offeredProtocols, requireUpgrade } from "../live-upgrade.ts";
import { readJsonBody } from "../middleware/json-body.ts";
import { checkRateLimits, readLimits } from "../middleware/rate-limits.ts";
import { requireChannel } from "../rollout.ts";

export const agentRoutes = new Hono<AppEnv>()
  .use("/thread/*", readLimits())
  .use("/threads", readLimits())
  .use("/feedback", readLimits())
  .post("/messages", async (c) => {
    const body = await readJsonBody(c, postMessageBodySchema);
    await requireChannel(c, "web");
    // A sign-in token that fails verification is refused here, before any model call.
    const identity = await verifiedIdentity(c);
    const existing = body.thread_id ?? null;
    const limited = await checkRateLimits(c, existing ? "message" : "open", identity);
    if (limited) return limited;
    const key = existing
      ? { token: bearerToken(c.req.header("authorization")), viewerSub: identity?.sub ?? null }
      : { token: newSecretToken(), viewerSub: identity?.sub ?? null };
    if (!key.token && !key.viewerSub) throw threadNotFound();
    const threadId = existing ?? newId();
    const input = {
      key,
      message: body.message,
      clientMessageId: body.client_message_id ?? null,
      // The identity is bound when a thread opens.
      create: existing ? null : { channel: "web" as const, identity },
    };
    const stub = c.env.THREAD.getByName(threadId);
    if ((c.req.header("accept") ?? "").includes("text/event-stream")) {
      const result = await throughThread(async () => await stub.post(input));
      if (!result.ok) throw fromFailure(result);
      return new Response(result.value, {
        headers: {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-store",
          "x-accel-buffering": "no",
        },
      });
    }
    const result = await throughThread(async () => await stub.postAndWait(input));
    if (!result.ok) throw fromFailure(result);
    return c.json(
      existing ? result.value : { ...result.value, thread_token: key.token },
      existing ? 200 : 201,
    );
  })
  .get("/thread/:id", async (c) => {
    const id = parseId(c.req.param("id"));
    const key = await threadKey(c);
    if (!id || !key) throw threadNotFound();
    const query = threadQuerySchema.safeParse(c.req.query());
    if (!query.success)
      throw new AppError("invalid_input:limit", "limit must be a whole number from 1 to 100.");
    const result = await throughThread(
      async () => await c.env.THREAD.getByName(id).view(key, query.data.limit),
    );
    if (!result.ok) throw fromFailure(result);
    return c.json(result.value, 200, { "cache-control": "no-store" });
  })
  .get("/thread/:id/live", async (c) => {
    // The live channel: the thread's new messages, status and the person's typing, over a WebSocket.
    requireUpgrade(c);
    const id = parseId(c.req.param("id"));
    const offered = offeredProtocols(c);
    const token = offered.token ?? bearerToken(c.req.header("authorization"));
    let viewerSub: string | null = null;
    if (offered.identity) {
      const verified = await identityFromRequest(offered.identity, c.var.config.identity);
      if (!verified.ok) throw new AppError("unauthorized:identity", verified.message);
      viewerSub = verified.value?.sub ?? null;
    }
    if (!id || (!token && !viewerSub)) throw threadNotFound();
    const stub = c.env.THREAD.getByName(id);
    const opened = await throughThread(async () => await stub.view({ token, viewerSub }, 1));
    if (!opened.ok) throw fromFailure(opened);
    return forwardUpgrade(c, stub, { role: "visitor" });
  })
  .get("/threads", async (c) => {
    const identity = await verifiedIdentity(c);
    if (!identity) throw new AppError("unauthorized:identity", "Sign in to see your conversations.");
    const db = lazyDb(c.env.HYPERDRIVE.connectionString);
    try {
      const threads = await recentThreads(db.get(), identity.sub, 10);
      return c.json({ threads }, 200, { "cache-control": "no-store" });
    } finally {
      c.executionCtx.waitUntil(db.close());
    }
  })
  .post("/feedback", async (c) => {
    const body = await readJsonBody(c, feedbackBodySchema);
    const key = await threadKey(c);
    const check = key
      ? await c.env.THREAD.getByName(body.thread_id).checkReply(key, body.message_id)
      : "no_thread";
    if (check === "no_thread") throw threadNotFound();
    if (check === "no_message")
      throw new AppError("not_found:message", "No reply with this id in this thread.");
    const db = lazyDb(c.env.HYPERDRIVE.connectionString);
    try {
      await saveFeedback(db.get(), {
        threadId: body.thread_id,
        messageId: body.message_id,
        rating: body.rating,
        tags: body.tags,
        comment: body.comment ?? null,
      });
    } catch (error) {
      c.executionCtx.waitUntil(db.close());
      throw error;
    }
    // Webhook receivers hear of it after the visitor has the answer; each rating is its own event.
    const { webhooks, logLevel } = c.var.config;
    const emitter = {
      db: db.get(),
      queue: c.env.WEBHOOKS,
      publicUrl: webhooks.publicUrl,
      log: createLogger({ requestId: c.var.requestId }, logLevel),
    };
    const event = {
      type: "feedback.received" as const,
      data: { thread_id: body.thread_id, message_id: body.message_id, rating: body.rating, tags: body.tags },
      content: { comment: body.comment ?? null },
    };
    c.executionCtx.waitUntil(
      emitWebhookEvent(emitter, event, { key: newId(), at: new Date() }).finally(() => db.close()),
    );
    return c.json({ feedback: { message_id: body.message_id, rating: body.rating, tags: body.tags } }, 201);
  });

/** The visitor's verified sign-in, null without one; 401 for one that fails verification. */
async function verifiedIdentity(c: Context<AppEnv>): Promise<Identity | null> {
  const verified = await identityFromRequest(c.req.header("x-identity-token"), c.var.config.identity);
  if (!verified.ok) {
    // The visitor reads one neutral text; ops read which check failed.
    createLogger({ requestId: c.get("requestId") ?? null }, c.var.config.logLevel).warn("identity.rejected", {
      reason: verified.reason,
    });
    throw new AppError("unauthorized:identity", verified.message);
  }
  return verified.value;
}

/** What a thread-scoped request offers as its key: the thread token, a verified sign-in, or both. */
async function threadKey(c: Context<AppEnv>): Promise<ThreadKey | null> {
  const token = bearerToken(c.req.header("authorization"));
  const identity = await verifiedIdentity(c);
  return token || identity ? { token, viewerSub: identity?.sub ?? null } : null;
}

function threadNotFound(): AppError {
  return new AppError("not_found:thread", "No thread with this id and token.");
}

function fromFailure(failure: Failure): AppError {
  return new AppError(failure.code, failure.message);
}
