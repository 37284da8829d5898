/**
 * Puts the deployment's parsed settings (core/config.ts, parsed once per isolate) on every request as
 * `c.var.config`, so routes and middleware never read `env` for settings. Mounted first by worker/app.ts.
 */
import type { MiddlewareHandler } from "hono";
import { loadConfig } from "../../core/config.ts";
import type { AppEnv } from "../app.ts";

export function withConfig(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("config", loadConfig(c.env).config);
    await next();
  };
}
