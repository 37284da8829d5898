import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import answersJsonl from "../evals/golden/answers.jsonl";
import routingJsonl from "../evals/golden/routing.jsonl";
import { retrievalCases } from "../evals/nightly.ts";
import { call } from "../test-tools/agent-api.ts";
import { eventually, query } from "../test-tools/remote-controls.ts";
import { createTestStaff } from "../test-tools/staff-accounts.ts";
import worker from "./index.ts";

const ADMIN = { authorization: "Bearer test-admin-token-0123456789abcdef" };

interface Run {
  id: string;
  trigger: string;
  status: string;
  brain: string | null;
  searchMode: string | null;
  started: string;
  finished: string | null;
  scores: Record<string, number> | null;
  regressions: { metric: string; before: number; after: number; dropPoints: number }[];
  report: { routing: { cases: number }; retrieval: { cases: number } } | null;
}

async function runs(): Promise<Run[]> {
  const response = await call("/api/admin/evals?limit=200", { headers: ADMIN });
  expect(response.status).toBe(200);
  return ((await response.json()) as { runs: Run[] }).runs;
}

const finished = (id: string) =>
  eventually(async () => {
    const run = (await runs()).find((r) => r.id === id);
    return run && run.status !== "queued" && run.status !== "running" ? run : undefined;
  }, 60_000);

/** A succeeded run written straight into the table, just before the one under test. */
async function previousRun(scores: Record<string, number>): Promise<void> {
  await query((db) =>
    db.execute(sql`insert into eval_runs (id, trigger, status, started_at, finished_at, scores, report)
      values (${crypto.randomUUID()}, 'admin', 'succeeded', now(), now(), ${JSON.stringify(scores)}::jsonb, '{}'::jsonb)`),
  );
}

afterEach(() => vi.restoreAllMocks());

describe("the nightly eval", () => {
  it("the cron queues a run that scores the bundled golden sets through the live brain and search", async () => {
    const before = new Set((await runs()).map((r) => r.id));
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "23 3 * * *" }), env);
    const queued = await eventually(async () =>
      (await runs()).find((r) => !before.has(r.id) && r.trigger === "cron"),
    );
    const run = await finished(queued.id);
    expect(run).toMatchObject({ status: "succeeded", brain: "offline-router", searchMode: "lexical" });
    // Every case of both files, counted from the files themselves.
    const routingCases = routingJsonl.split("\n").filter((l) => l.trim() !== "").length;
    expect(run.report?.routing.cases).toBe(routingCases);
    expect(run.report?.retrieval.cases).toBe(retrievalCases(answersJsonl).length);
    expect(run.report?.retrieval.cases).toBeGreaterThan(50);
    for (const metric of ["routing_exact", "routing_lenient", "retrieval_recall_at_3", "retrieval_mrr"]) {
      expect(run.scores?.[metric]).toBeGreaterThan(0.3);
      expect(run.scores?.[metric]).toBeLessThanOrEqual(1);
    }
    expect(run.scores?.routing_lenient).toBeGreaterThanOrEqual(run.scores?.routing_exact ?? 1);
    expect(Date.parse(run.finished ?? "")).toBeGreaterThanOrEqual(Date.parse(run.started));
  });

  it("flags a drop of more than 2 points against the previous run: in the run, the log and the Overview", async () => {
    const warn = vi.spyOn(console, "warn");
    const [latest] = (await runs()).filter((r) => r.status === "succeeded" && r.scores);
    const current = latest?.scores ?? {};
    // 2 points better on everything is within the margin; a perfect previous run is not.
    await previousRun(Object.fromEntries(Object.entries(current).map(([k, v]) => [k, v + 0.02])));
    const calm = await call("/api/admin/evals/run", { method: "POST", headers: ADMIN });
    expect(calm.status).toBe(202);
    const calmRun = await finished(((await calm.json()) as { id: string }).id);
    expect(calmRun.status).toBe("succeeded");
    expect(calmRun.scores).toEqual(current);
    expect(calmRun.regressions).toEqual([]);

    await previousRun(Object.fromEntries(Object.keys(current).map((k) => [k, 1])));
    const started = await call("/api/admin/evals/run", { method: "POST", headers: ADMIN });
    const flagged = await finished(((await started.json()) as { id: string }).id);
    const dropped = Object.entries(current)
      .filter(([, v]) => v < 0.98)
      .map(([k]) => k);
    expect(dropped.length).toBeGreaterThan(0);
    expect(flagged.regressions.map((r) => r.metric).sort()).toEqual(dropped.sort());
    for (const r of flagged.regressions) {
      expect(r.before).toBe(1);
      expect(r.dropPoints).toBeCloseTo((1 - (current[r.metric] ?? 0)) * 100, 1);
    }
    const events = warn.mock.calls.map(
      ([record]) => record as { event?: string; runId?: string; metrics?: string[] },
    );
    const event = events.find((e) => e.event === "evals.regressed" && e.runId === flagged.id);
    expect(event?.metrics?.sort()).toEqual(dropped.sort());

    const ops = await createTestStaff("Ops", "admin");
    const overview = await call("/console/overview", { headers: ops.bearer });
    expect(overview.status).toBe(200);
    const html = await overview.text();
    expect(html).toContain("Warning: the evals fell");
    expect(html).toContain('href="/console/evals"');
  });

  it("lists runs to admins only and refuses a bad limit", async () => {
    expect((await call("/api/admin/evals")).status).toBe(401);
    expect((await call("/api/admin/evals/run", { method: "POST" })).status).toBe(401);
    const bad = await call("/api/admin/evals?limit=0", { headers: ADMIN });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_input:limit");
  });
});
