/**
 * The eval_runs record: a run is inserted queued (POST /api/admin/evals/run or the nightly cron), taken by the
 * evals queue's consumer, and finished with its scores, report and regressions, or failed with a code. A run
 * left queued or running for 30 minutes (its consumer died) is marked failed, so nothing waits forever.
 * Scores read back are parsed; a row that does not parse counts as having none.
 */
import { and, desc, eq, inArray, lt, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { EVAL_METRICS, type EvalScores, type NightlyReport, type Regression } from "../evals/nightly.ts";
import type { Database } from "./client.ts";
import { guarded } from "./db-error.ts";
import { evalRuns } from "./schema.ts";

const STALE_MINUTES = 30;

// An enum-keyed record is exhaustive in zod 4: every metric must be there.
const scoresSchema: z.ZodType<EvalScores> = z.record(z.enum(EVAL_METRICS), z.number());
const regressionsSchema = z.array(
  z.object({ metric: z.enum(EVAL_METRICS), before: z.number(), after: z.number(), dropPoints: z.number() }),
);

export type EvalTrigger = "cron" | "admin";
export type EvalStatus = "queued" | "running" | "succeeded" | "failed";

export interface EvalRun {
  id: string;
  trigger: string;
  status: string;
  brain: string | null;
  searchMode: string | null;
  started: string;
  finished: string | null;
  scores: EvalScores | null;
  regressions: Regression[];
  errorCode: string | null;
  report: unknown;
}

export function createEvalRun(db: Database, id: string, trigger: EvalTrigger): Promise<void> {
  return guarded("evals.create", async () => {
    await db.insert(evalRuns).values({ id, trigger, status: "queued" });
  });
}

/** queued -> running; false when the run is not queued any more (a redelivered message, or a stale run). */
export function claimEvalRun(db: Database, id: string): Promise<boolean> {
  return guarded("evals.claim", async () => {
    const rows = await db
      .update(evalRuns)
      .set({ status: "running" })
      .where(and(eq(evalRuns.id, id), eq(evalRuns.status, "queued")))
      .returning({ id: evalRuns.id });
    return rows.length > 0;
  });
}

export function finishEvalRun(
  db: Database,
  id: string,
  result: {
    brain: string;
    searchMode: string;
    scores: EvalScores;
    report: NightlyReport;
    regressions: Regression[];
  },
): Promise<void> {
  return guarded("evals.finish", async () => {
    await db
      .update(evalRuns)
      .set({ ...result, status: "succeeded", finishedAt: new Date() })
      .where(eq(evalRuns.id, id));
  });
}

export function failEvalRun(db: Database, id: string, errorCode: string): Promise<void> {
  return guarded("evals.fail", async () => {
    await db
      .update(evalRuns)
      .set({ status: "failed", errorCode, finishedAt: new Date() })
      .where(and(eq(evalRuns.id, id), inArray(evalRuns.status, ["queued", "running"])));
  });
}

/** What the run's model calls spent (the Budgets page counts it for its day, with the site's meter). */
export function recordEvalSpend(
  db: Database,
  id: string,
  spend: { modelCalls: number; promptTokens: number; completionTokens: number; costUsd: number },
): Promise<void> {
  return guarded("evals.spend", async () => {
    await db.update(evalRuns).set(spend).where(eq(evalRuns.id, id));
  });
}

/** The scores of the newest succeeded run that started before this one. */
export function previousScores(db: Database, id: string): Promise<EvalScores | null> {
  return guarded("evals.previous", async () => {
    const [row] = await db
      .select({ scores: evalRuns.scores })
      .from(evalRuns)
      .where(
        and(
          eq(evalRuns.status, "succeeded"),
          ne(evalRuns.id, id),
          lt(evalRuns.startedAt, sql`(select started_at from eval_runs where id = ${id})`),
        ),
      )
      .orderBy(desc(evalRuns.startedAt))
      .limit(1);
    const parsed = scoresSchema.safeParse(row?.scores);
    return parsed.success ? parsed.data : null;
  });
}

/** Newest first; stale unfinished runs are failed first so the list tells the truth. */
export function listEvalRuns(db: Database, limit: number): Promise<EvalRun[]> {
  return guarded("evals.list", async () => {
    await db
      .update(evalRuns)
      .set({ status: "failed", errorCode: "timeout:eval_run", finishedAt: new Date() })
      .where(
        and(
          inArray(evalRuns.status, ["queued", "running"]),
          lt(evalRuns.startedAt, sql`now() - make_interval(mins => ${STALE_MINUTES})`),
        ),
      );
    const rows = await db.select().from(evalRuns).orderBy(desc(evalRuns.startedAt)).limit(limit);
    return rows.map(view);
  });
}

/** The newest succeeded run, for the Overview's notice when it regressed. */
export function latestEvalRun(db: Database): Promise<EvalRun | null> {
  return guarded("evals.latest", async () => {
    const [row] = await db
      .select()
      .from(evalRuns)
      .where(eq(evalRuns.status, "succeeded"))
      .orderBy(desc(evalRuns.startedAt))
      .limit(1);
    return row ? view(row) : null;
  });
}

function view(row: typeof evalRuns.$inferSelect): EvalRun {
  const scores = scoresSchema.safeParse(row.scores);
  const regressions = regressionsSchema.safeParse(row.regressions);
  return {
    id: row.id,
    trigger: row.trigger,
    status: row.status,
    brain: row.brain,
    searchMode: row.searchMode,
    started: row.startedAt.toISOString(),
    finished: row.finishedAt?.toISOString() ?? null,
    scores: scores.success ? scores.data : null,
    regressions: regressions.success ? regressions.data : [],
    errorCode: row.errorCode,
    report: row.report,
  };
}
