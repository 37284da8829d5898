/** @jsxImportSource hono/jsx */
/**
 * The console's Knowledge and Evals pages (admins), mounted by console.tsx behind its staff check: the pages,
 * the index rebuild and the eval run as plain forms (CSRF-checked by requireStaff), each redirecting back with
 * what happened. The retrieval tester is a GET form: a search changes nothing.
 */
import { Hono } from "hono";
import { kbSearchBodySchema, unansweredQuerySchema } from "../../core/contracts/knowledge.ts";
import { aiBindingOf } from "../../core/retrieval/workers-ai-embedder.ts";
import { listEvalRuns } from "../../db/eval-runs.ts";
import { agentKbSearch } from "../../db/hand-ports.ts";
import { kbOverview } from "../../db/kb-overview.ts";
import { testRetrieval } from "../../db/kb-tester.ts";
import { unansweredQuestions } from "../../db/kb-unanswered.ts";
import { queueEvalRun } from "../../queues/eval-job.ts";
import { EvalsPage } from "../console/pages/evals.tsx";
import { KnowledgePage, type TesterState } from "../console/pages/knowledge.tsx";
import { type ConsoleEnv, requireRole } from "../console/staff-auth.ts";
import { rebuildMessage } from "./admin-knowledge.ts";

const TESTER_TIMEOUT_MS = 5000;
const RUNS_SHOWN = 30;

export const consoleKnowledgeEvalsRoutes = new Hono<ConsoleEnv>()
  .use("/knowledge/*", requireRole("admin"))
  .use("/knowledge", requireRole("admin"))
  .use("/evals/*", requireRole("admin"))
  .use("/evals", requireRole("admin"))
  .get("/knowledge", async (c) => {
    const { config } = c.var;
    const db = c.var.db.get();
    const question = (c.req.query("q") ?? "").slice(0, 1000);
    const channel = c.req.query("channel") ?? "web";
    const tester: TesterState = { question, channel, result: null, error: null };
    if (question !== "") {
      const body = kbSearchBodySchema.safeParse({ query: question, channel });
      if (body.success) {
        const search = agentKbSearch(db, config, aiBindingOf(c.env));
        tester.result = await testRetrieval(search, body.data.query, {
          channel: body.data.channel,
          signal: AbortSignal.timeout(TESTER_TIMEOUT_MS),
        });
      } else tester.error = "Type a question of 2 to 500 characters, and pick web, slack or email.";
    }
    const [overview, unanswered] = await Promise.all([
      kbOverview(db, { maxAgeHours: config.kbMaxAgeHours, embeddings: config.embeddings }),
      unansweredQuestions(db, { days: unansweredQuerySchema.parse({}).days }),
    ]);
    return c.html(
      <KnowledgePage
        shop={config.shop.name}
        staff={c.var.staff}
        csrf={c.var.csrf}
        overview={overview}
        unanswered={unanswered}
        tester={tester}
        notice={c.req.query("notice")?.slice(0, 200)}
      />,
    );
  })
  .post("/knowledge/rebuild", async (c) => {
    await c.env.KB_REBUILD.send(rebuildMessage());
    const notice = "Rebuild queued: statistics and missing vectors are refreshed within a minute.";
    return c.redirect(`/console/knowledge?notice=${encodeURIComponent(notice)}`, 303);
  })
  .get("/evals", async (c) => {
    const runs = await listEvalRuns(c.var.db.get(), RUNS_SHOWN);
    return c.html(
      <EvalsPage
        shop={c.var.config.shop.name}
        staff={c.var.staff}
        csrf={c.var.csrf}
        runs={runs}
        notice={c.req.query("notice")?.slice(0, 200)}
      />,
    );
  })
  .post("/evals/run", async (c) => {
    const id = await queueEvalRun(c.env, "admin");
    const notice = `Run ${id.slice(0, 8)} queued; reload in a minute to see its scores.`;
    return c.redirect(`/console/evals?notice=${encodeURIComponent(notice)}`, 303);
  });
