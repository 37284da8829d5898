/**
 * Admin endpoints for ops: the Overview's metrics, the Knowledge endpoints (admin-knowledge.ts: the help
 * centre per source, its rebuild, the retrieval tester, unanswered questions), the Evals endpoints
 * (admin-evals.ts: start a run, list runs), and the endpoints that receive
 * signed webhooks (POST and DELETE need ADMIN_TOKEN; the list has no secrets). Protected by the ADMIN_TOKEN secret,
 * compared in constant time; reads (GET) also open for an admin of the console (session or staff API token),
 * so the console's pages and an admin's scripts need no shared secret. Without either, every request is refused.
 */
import { Hono } from "hono";
import { metricsQuerySchema } from "../../core/contracts/metrics.ts";
import { AppError } from "../../core/errors.ts";
import { sha256Hex, timingSafeEqual } from "../../core/ids.ts";
import {
  createWebhookBodySchema,
  newWebhookEndpointId,
  newWebhookSecret,
} from "../../core/webhooks/contracts.ts";
import { lazyDb } from "../../db/client.ts";
import { overviewMetrics } from "../../db/metrics.ts";
import { createWebhookEndpoint, deleteWebhookEndpoint, listWebhookEndpoints } from "../../db/webhooks.ts";
import { bearerToken } from "../bearer.ts";
import { type ConsoleEnv, consoleDb, identifyStaff } from "../console/staff-auth.ts";
import { readJsonBody } from "../middleware/json-body.ts";
import { adminEvalsRoutes } from "./admin-evals.ts";
import { adminKnowledgeRoutes } from "./admin-knowledge.ts";

export const adminRoutes = new Hono<ConsoleEnv>()
  .use(consoleDb, async (c, next) => {
    const expected = c.var.config.adminToken;
    const given = bearerToken(c.req.header("authorization")) ?? "";
    // Hashing first makes the comparison independent of the secret's length as well as its content.
    const ok = expected !== null && timingSafeEqual(await sha256Hex(given), await sha256Hex(expected));
    if (ok) return next();
    // Reads only: a cookie request that changes something would need the console's CSRF check.
    const who = c.req.method === "GET" ? await identifyStaff(c) : null;
    if (who?.staff.role === "admin" && !who.staff.disabled) return next();
    if (who) throw new AppError("forbidden:role", "This page is for console admins.");
    throw new AppError("unauthorized:admin", "A valid admin token is required.");
  })
  .get("/metrics", async (c) => {
    const query = metricsQuerySchema.safeParse(c.req.query());
    if (!query.success) {
      const field = String(query.error.issues[0]?.path[0] ?? "query");
      throw new AppError(`invalid_input:${field}`, `Invalid ${field}: window is 24h, 7d or 30d.`);
    }
    const metrics = await overviewMetrics(c.var.db.get(), query.data.window);
    return c.json(metrics, 200, { "cache-control": "no-store" });
  })
  .post("/webhooks", async (c) => {
    const body = await readJsonBody(c, createWebhookBodySchema(c.env.WEBHOOKS_ALLOW_LOOPBACK === "true"));
    const endpoint = { id: newWebhookEndpointId(), secret: newWebhookSecret(), ...body };
    const db = lazyDb(c.env.HYPERDRIVE.connectionString);
    try {
      await createWebhookEndpoint(db.get(), endpoint);
    } finally {
      c.executionCtx.waitUntil(db.close());
    }
    // The secret is shown this once; the list never includes it.
    return c.json({ id: endpoint.id, secret: endpoint.secret }, 201, { "cache-control": "no-store" });
  })
  .get("/webhooks", async (c) => {
    const db = lazyDb(c.env.HYPERDRIVE.connectionString);
    try {
      return c.json({ webhooks: await listWebhookEndpoints(db.get()) }, 200, { "cache-control": "no-store" });
    } finally {
      c.executionCtx.waitUntil(db.close());
    }
  })
  .delete("/webhooks/:id", async (c) => {
    const db = lazyDb(c.env.HYPERDRIVE.connectionString);
    try {
      const deleted = await deleteWebhookEndpoint(db.get(), c.req.param("id"));
      if (!deleted) throw new AppError("not_found:webhook", "No webhook endpoint with this id.");
      return c.body(null, 204);
    } finally {
      c.executionCtx.waitUntil(db.close());
    }
  })
  .route("/", adminKnowledgeRoutes)
  .route("/", adminEvalsRoutes);
