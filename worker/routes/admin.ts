/**
 * Admin endpoints for ops: the help centre's freshness per source, and a rebuild of the index on demand
 * (the same rebuild_kb_index message the daily cron sends). Protected by the ADMIN_TOKEN secret, compared in
 * constant time; without the secret configured every request is refused.
 */
import { Hono } from "hono";
import type { KbRebuild } from "../../core/contracts/queue.ts";
import { AppError } from "../../core/errors.ts";
import { sha256Hex, timingSafeEqual } from "../../core/ids.ts";
import { lazyDb } from "../../db/client.ts";
import { kbFreshness } from "../../db/kb-freshness.ts";
import type { AppEnv } from "../app.ts";
import { bearerToken } from "../bearer.ts";

export const adminRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    const expected = c.var.config.adminToken;
    const given = bearerToken(c.req.header("authorization")) ?? "";
    // Hashing first makes the comparison independent of the secret's length as well as its content.
    const ok = expected !== null && timingSafeEqual(await sha256Hex(given), await sha256Hex(expected));
    if (!ok) throw new AppError("unauthorized:admin", "A valid admin token is required.");
    await next();
  })
  .get("/kb", async (c) => {
    const { config } = c.var;
    const db = lazyDb(c.env.HYPERDRIVE.connectionString);
    try {
      const status = await kbFreshness(db.get(), config.kbMaxAgeHours);
      return c.json({ ...status, maxAgeHours: config.kbMaxAgeHours }, 200, { "cache-control": "no-store" });
    } finally {
      c.executionCtx.waitUntil(db.close());
    }
  })
  .post("/kb/rebuild", async (c) => {
    const message: KbRebuild = {
      kind: "rebuild_kb_index",
      reason: "admin",
      requestedAt: new Date().toISOString(),
    };
    await c.env.KB_REBUILD.send(message);
    return c.json({ queued: true }, 202);
  });
