/**
 * The Evals admin endpoints, mounted by admin.ts behind its admin check: start a run of the golden evals (it
 * runs on the evals queue; the answer is its id at once) and list the runs, newest first, with their scores
 * and regressions. The console's Evals page shows the same list.
 */
import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "../../core/errors.ts";
import { listEvalRuns } from "../../db/eval-runs.ts";
import { queueEvalRun } from "../../queues/eval-job.ts";
import type { ConsoleEnv } from "../console/staff-auth.ts";

const listQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(30) });

export const adminEvalsRoutes = new Hono<ConsoleEnv>()
  .post("/evals/run", async (c) => {
    const id = await queueEvalRun(c.env, "admin");
    return c.json({ id, status: "queued" }, 202);
  })
  .get("/evals", async (c) => {
    const query = listQuerySchema.safeParse(c.req.query());
    if (!query.success)
      throw new AppError("invalid_input:limit", "Invalid limit: a whole number from 1 to 200.");
    const runs = await listEvalRuns(c.var.db.get(), query.data.limit);
    return c.json({ runs }, 200, { "cache-control": "no-store" });
  });
