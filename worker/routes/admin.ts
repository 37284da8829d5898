/**
 * Admin endpoints for ops: the Overview's metrics, the Knowledge endpoints (admin-knowledge.ts: the help
 * centre per source, its rebuild, the retrieval tester, unanswered questions), the Evals endpoints
 * (admin-evals.ts: start a run, list runs), the endpoints that receive signed webhooks (POST and DELETE need
 * ADMIN_TOKEN; the list has no secrets), tool health and budgets, and the rollout switches. Protected by the
 * ADMIN_TOKEN secret, compared in constant time; reads (GET) and the switches also open for an admin of the
 * console (session with its CSRF token for a change, or staff API token), so the console's pages and an
 * admin's scripts need no shared secret. Without either, every request is refused.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { metricsQuerySchema } from "../../core/contracts/metrics.ts";
import { switchBodySchema, switchKindSchema, toolsQuerySchema } from "../../core/contracts/ops.ts";
import { AppError } from "../../core/errors.ts";
import { sha256Hex, timingSafeEqual } from "../../core/ids.ts";
import { createLogger } from "../../core/log.ts";
import {
  createWebhookBodySchema,
  newWebhookEndpointId,
  newWebhookSecret,
} from "../../core/webhooks/contracts.ts";
import { lazyDb } from "../../db/client.ts";
import { overviewMetrics } from "../../db/metrics.ts";
import type { SwitchActor } from "../../db/rollout.ts";
import { createWebhookEndpoint, deleteWebhookEndpoint, listWebhookEndpoints } from "../../db/webhooks.ts";
import { bearerToken } from "../bearer.ts";
import { type ConsoleEnv, consoleDb, identifyStaff } from "../console/staff-auth.ts";
import { readJsonBody } from "../middleware/json-body.ts";
import { budgetsReport, toolsReport } from "../ops-reports.ts";
import { changeSwitch } from "../rollout.ts";
import { adminEvalsRoutes } from "./admin-evals.ts";
import { adminKnowledgeRoutes } from "./admin-knowledge.ts";

/** Changes a console admin may make without the admin token (with the session's CSRF token if by cookie). */
const STAFF_WRITABLE = /^\/api\/admin\/switches\//;

type AdminEnv = {
  Bindings: Env;
  /** Set by the gate for every request it lets through (optional only so identifyStaff takes the context). */
  Variables: ConsoleEnv["Variables"] & { actor?: SwitchActor };
};

/** ADMIN_TOKEN, or a console admin for reads and the switches; sets who is acting for the audit. */
const adminGate: MiddlewareHandler<AdminEnv> = async (c, next) => {
  const expected = c.var.config.adminToken;
  const given = bearerToken(c.req.header("authorization")) ?? "";
  // Hashing first makes the comparison independent of the secret's length as well as its content.
  const ok = expected !== null && timingSafeEqual(await sha256Hex(given), await sha256Hex(expected));
  if (ok) {
    c.set("actor", { kind: "admin_token", id: null, name: "admin token" });
    return next();
  }
  const read = c.req.method === "GET";
  const who = read || STAFF_WRITABLE.test(c.req.path) ? await identifyStaff(c) : null;
  if (who?.staff.role === "admin" && !who.staff.disabled) {
    // A cookie request that changes something carries the session's CSRF token; a bearer one needs none.
    const csrf = c.req.header("x-csrf-token") ?? "";
    if (!read && who.csrf && !timingSafeEqual(csrf, who.csrf))
      throw new AppError("forbidden:csrf", "This form has expired. Reload the page and try again.");
    c.set("actor", { kind: "staff", id: who.staff.id, name: who.staff.name });
    return next();
  }
  if (who) throw new AppError("forbidden:role", "This page is for console admins.");
  throw new AppError("unauthorized:admin", "A valid admin token is required.");
};

export const adminRoutes = new Hono<AdminEnv>()
  .use(consoleDb, adminGate)
  .get("/metrics", async (c) => {
    const query = metricsQuerySchema.safeParse(c.req.query());
    if (!query.success) {
      const field = String(query.error.issues[0]?.path[0] ?? "query");
      throw new AppError(`invalid_input:${field}`, `Invalid ${field}: window is 24h, 7d or 30d.`);
    }
    const metrics = await overviewMetrics(c.var.db.get(), query.data.window);
    return c.json(metrics, 200, { "cache-control": "no-store" });
  })
  .get("/tools", async (c) => {
    const query = toolsQuerySchema.safeParse(c.req.query());
    if (!query.success) throw new AppError("invalid_input:window", "Invalid window: it is 24h, 7d or 30d.");
    const report = await toolsReport(c.env, c.var.db.get(), c.var.config, query.data.window);
    return c.json(report, 200, { "cache-control": "no-store" });
  })
  .get("/budgets", async (c) => {
    const report = await budgetsReport(c.env, c.var.db.get(), c.var.config);
    return c.json(report, 200, { "cache-control": "no-store" });
  })
  .put("/switches/:kind/:name", async (c) => {
    const kind = switchKindSchema.safeParse(c.req.param("kind"));
    if (!kind.success) throw new AppError("invalid_input:kind", "The kind is tool or channel.");
    const body = await readJsonBody(c, switchBodySchema);
    const target = { kind: kind.data, name: c.req.param("name"), enabled: body.enabled };
    const log = createLogger({ requestId: c.var.requestId }, c.var.config.logLevel);
    const actor = c.var.actor;
    if (!actor) throw new AppError("unauthorized:admin", "A valid admin token is required.");
    const result = await changeSwitch(c.var.db.get(), c.var.config, target, actor, log);
    return c.json(result, 200, { "cache-control": "no-store" });
  })
  .post("/webhooks", async (c) => {
    const body = await readJsonBody(c, createWebhookBodySchema(c.env.WEBHOOKS_ALLOW_LOOPBACK === "true"));
    const endpoint = {
      id: newWebhookEndpointId(),
      secret: newWebhookSecret(),
      url: body.url,
      events: body.events,
      includeContent: body.include_content,
    };
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
