/**
 * The console API (`/api/console/*`, see core/contracts/console.ts): the inbox and a conversation's
 * transcript over Postgres. Every request carries a staff session cookie (with its CSRF token when it changes
 * something) or `Authorization: Bearer <staff API token>`; without either it is 401.
 */
import { Hono } from "hono";
import { inboxQuerySchema } from "../../core/contracts/console.ts";
import { parseId } from "../../core/contracts/ids.ts";
import { AppError } from "../../core/errors.ts";
import { inbox, transcript } from "../../db/console.ts";
import { type ConsoleEnv, consoleDb, requireStaff } from "../console/staff-auth.ts";

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
  });
