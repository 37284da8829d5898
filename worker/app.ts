/**
 * The Hono application: the parsed config on every request, request ids and access logs, CORS for the API,
 * liveness (/healthz) and readiness (/readyz), the chat API under /api/agent, the widget and the demo shop
 * page, and the error mapping. worker/index.ts wires it to the fetch handler.
 */
import { Hono } from "hono";
import { type AppConfig, loadConfig } from "../core/config.ts";
import { createLogger } from "../core/log.ts";
import { errorResponse, onError } from "./http-errors.ts";
import { withConfig } from "./middleware/config.ts";
import { cors } from "./middleware/cors.ts";
import { readiness } from "./readiness.ts";
import { adminRoutes } from "./routes/admin.ts";
import { agentRoutes } from "./routes/agent.ts";
import { consoleRoutes } from "./routes/console.tsx";
import { consoleApiRoutes } from "./routes/console-api.ts";
import { slackRoutes } from "./routes/slack.ts";
import { widgetRoutes } from "./routes/widget.ts";

export type AppEnv = { Bindings: Env; Variables: { requestId: string; config: AppConfig } };

export function createApp() {
  const app = new Hono<AppEnv>();
  app.use(withConfig());
  app.use(async (c, next) => {
    const requestId = c.req.header("cf-ray") ?? crypto.randomUUID();
    c.set("requestId", requestId);
    const started = performance.now();
    await next();
    createLogger({ requestId }, c.var.config.logLevel).info("http.request", {
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });
  app.use("/api/*", cors());
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/readyz", async (c) => {
    const result = await readiness(loadConfig(c.env), c.env.HYPERDRIVE.connectionString);
    return c.json(result, result.ready ? 200 : 503, { "cache-control": "no-store" });
  });
  app.route("/api/agent", agentRoutes);
  app.route("/api/admin", adminRoutes);
  app.route("/api/console", consoleApiRoutes);
  app.route("/console", consoleRoutes);
  app.route("/slack", slackRoutes);
  app.route("/", widgetRoutes);
  app.notFound((c) => errorResponse(c, "not_found:route", "No such endpoint."));
  app.onError(onError);
  return app;
}
