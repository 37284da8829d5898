/**
 * The Knowledge admin endpoints, mounted by admin.ts behind its admin check: the help centre per source
 * (freshness, document and chunk counts, embedding model and coverage), a rebuild of the index (the same
 * rebuild_kb_index message the daily cron sends), the retrieval tester (the agent's own search) and the
 * questions the agent could not answer. Visitor text in the answers is for the shop's admins only and is never
 * logged.
 */
import { Hono } from "hono";
import { kbSearchBodySchema, unansweredQuerySchema } from "../../core/contracts/knowledge.ts";
import type { KbRebuild } from "../../core/contracts/queue.ts";
import { AppError } from "../../core/errors.ts";
import { aiBindingOf } from "../../core/retrieval/workers-ai-embedder.ts";
import { agentKbSearch } from "../../db/hand-ports.ts";
import { kbOverview } from "../../db/kb-overview.ts";
import { testRetrieval } from "../../db/kb-tester.ts";
import { unansweredQuestions } from "../../db/kb-unanswered.ts";
import type { ConsoleEnv } from "../console/staff-auth.ts";
import { readJsonBody } from "../middleware/json-body.ts";

/** A search in a turn gets at most 3 s; the tester allows a little more for a cold embedding endpoint. */
const TESTER_TIMEOUT_MS = 5000;
const NO_STORE = { "cache-control": "no-store" };

export const adminKnowledgeRoutes = new Hono<ConsoleEnv>()
  .get("/kb", async (c) => {
    const { config } = c.var;
    const overview = await kbOverview(c.var.db.get(), {
      maxAgeHours: config.kbMaxAgeHours,
      embeddings: config.embeddings,
    });
    return c.json(overview, 200, NO_STORE);
  })
  .post("/kb/rebuild", async (c) => {
    await c.env.KB_REBUILD.send(rebuildMessage());
    return c.json({ queued: true }, 202);
  })
  .post("/kb/search", async (c) => {
    const body = await readJsonBody(c, kbSearchBodySchema);
    const search = agentKbSearch(c.var.db.get(), c.var.config, aiBindingOf(c.env));
    const result = await testRetrieval(search, body.query, {
      channel: body.channel,
      signal: AbortSignal.timeout(TESTER_TIMEOUT_MS),
    });
    return c.json(result, 200, NO_STORE);
  })
  .get("/kb/unanswered", async (c) => {
    const query = unansweredQuerySchema.safeParse(c.req.query());
    if (!query.success) {
      const field = String(query.error.issues[0]?.path[0] ?? "days");
      throw new AppError(`invalid_input:${field}`, "Invalid query: days is 1 to 90, limit 1 to 200.");
    }
    return c.json(await unansweredQuestions(c.var.db.get(), query.data), 200, NO_STORE);
  });

export function rebuildMessage(): KbRebuild {
  return { kind: "rebuild_kb_index", reason: "admin", requestedAt: new Date().toISOString() };
}
