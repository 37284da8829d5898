/**
 * The chat API: send a message (JSON or SSE), read a thread, rate a reply. Every thread-scoped request
 * carries the thread's token as `Authorization: Bearer`; a missing or wrong token and an unknown thread get
 * the same 404, so ids cannot be probed. A site that signs its visitors in sends `X-Identity-Token` (the
 * WordPress plugin's short-lived JWT) with the first message; the verified identity stays with the thread.
 */
import { Hono } from "hono";
import { parseConfig } from "../../core/config.ts";
import { feedbackBodySchema, postMessageBodySchema, threadQuerySchema } from "../../core/contracts/api.ts";
import type { Identity } from "../../core/contracts/thread.ts";
import { AppError, type Failure } from "../../core/errors.ts";
import { newId, newSecretToken } from "../../core/ids.ts";
import { lazyDb } from "../../db/client.ts";
import { saveFeedback } from "../../db/record.ts";
import type { AppEnv } from "../app.ts";
import { identityFromRequest } from "../identity.ts";
import { readJsonBody } from "../middleware/json-body.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const agentRoutes = new Hono<AppEnv>()
  .post("/messages", async (c) => {
    const body = await readJsonBody(c, postMessageBodySchema);
    const existing = body.thread_id ?? null;
    const token = existing ? bearer(c.req.header("authorization")) : newSecretToken();
    if (existing && !token) throw threadNotFound();
    if (!parseConfig(c.env).enabledChannels.includes("web")) {
      throw new AppError("forbidden:channel", "The web chat is switched off for this shop.");
    }
    // Identity is bound when a thread opens, and a token that fails verification never reaches the model.
    let identity: Identity | null = null;
    if (!existing) {
      const verified = await identityFromRequest(c.req.header("x-identity-token"), c.env);
      if (!verified.ok) throw new AppError("unauthorized:identity", verified.message);
      identity = verified.value;
    }
    const threadId = existing ?? newId();
    const input = {
      token: token ?? "",
      message: body.message,
      clientMessageId: body.client_message_id ?? null,
      create: existing ? null : { channel: "web" as const, identity },
    };
    const stub = c.env.THREAD.getByName(threadId);
    if ((c.req.header("accept") ?? "").includes("text/event-stream")) {
      const result = await stub.post(input);
      if (!result.ok) throw fromFailure(result);
      return new Response(result.value, {
        headers: {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-store",
          "x-accel-buffering": "no",
        },
      });
    }
    const result = await stub.postAndWait(input);
    if (!result.ok) throw fromFailure(result);
    return c.json(
      existing ? result.value : { ...result.value, thread_token: input.token },
      existing ? 200 : 201,
    );
  })
  .get("/thread/:id", async (c) => {
    const id = c.req.param("id");
    const token = bearer(c.req.header("authorization"));
    if (!UUID.test(id) || !token) throw threadNotFound();
    const query = threadQuerySchema.safeParse(c.req.query());
    if (!query.success)
      throw new AppError("invalid_input:limit", "limit must be a whole number from 1 to 100.");
    const result = await c.env.THREAD.getByName(id.toLowerCase()).view(token, query.data.limit);
    if (!result.ok) throw fromFailure(result);
    return c.json(result.value, 200, { "cache-control": "no-store" });
  })
  .post("/feedback", async (c) => {
    const body = await readJsonBody(c, feedbackBodySchema);
    const token = bearer(c.req.header("authorization"));
    const check = token
      ? await c.env.THREAD.getByName(body.thread_id).checkReply(token, body.message_id)
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
    } finally {
      c.executionCtx.waitUntil(db.close());
    }
    return c.json({ feedback: { message_id: body.message_id, rating: body.rating, tags: body.tags } }, 201);
  });

function bearer(header: string | undefined): string | null {
  const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header ?? "");
  return match?.[1] ?? null;
}

function threadNotFound(): AppError {
  return new AppError("not_found:thread", "No thread with this id and token.");
}

function fromFailure(failure: Failure): AppError {
  return new AppError(failure.code, failure.message);
}
