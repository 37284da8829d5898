/**
 * CORS for the chat API: only the site origins in ALLOWED_ORIGINS (comma- or space-separated, e.g.
 * "https://shop.example, https://www.shop.example"; parsed by core/config.ts) and the Worker's own origin (the
 * demo page) may call it from a browser. Preflights from them get 204 with the methods and headers the widget uses; any other origin
 * gets 403 `forbidden:origin` before a route runs, so a foreign page cannot make the agent do work. Requests
 * without an Origin header (curl, server-to-server) are not CORS and pass. Mounted on /api/* by worker/app.ts.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app.ts";
import { errorResponse } from "../http-errors.ts";

const ALLOW_METHODS = "GET, POST, OPTIONS";
/** What the widget sends: JSON bodies, the thread token, a logged-in visitor's signed identity, its device id. */
const ALLOW_HEADERS = "authorization, content-type, x-identity-token, x-device-id";
const MAX_AGE_SECONDS = "600";

export function cors(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (origin === undefined) return next();
    const allowed = origin === new URL(c.req.url).origin || c.var.config.allowedOrigins.includes(origin);
    const preflight =
      c.req.method === "OPTIONS" && c.req.header("access-control-request-method") !== undefined;
    if (!allowed) {
      const denied = errorResponse(
        c,
        "forbidden:origin",
        `Origin ${origin.slice(0, 200)} is not allowed to use this agent. Add it to ALLOWED_ORIGINS.`,
      );
      denied.headers.set("vary", "Origin");
      return denied;
    }
    if (preflight) {
      return c.body(null, 204, {
        "access-control-allow-origin": origin,
        "access-control-allow-methods": ALLOW_METHODS,
        "access-control-allow-headers": ALLOW_HEADERS,
        "access-control-max-age": MAX_AGE_SECONDS,
        vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
      });
    }
    await next();
    // A WebSocket upgrade's response is not CORS (the Origin was checked above) and must stay as it is.
    if (c.res.status === 101) return;
    // Headers of a Response built elsewhere (a fetch, a stub's stream) may be immutable: copy it first.
    let res = c.res;
    try {
      res.headers.set("access-control-allow-origin", origin);
    } catch {
      res = new Response(res.body, res);
      res.headers.set("access-control-allow-origin", origin);
    }
    res.headers.append("vary", "Origin");
    if (res !== c.res) c.res = res;
  };
}
