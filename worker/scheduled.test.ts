import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../core/config.ts";
import { addDbFault, dbFaultHits, query } from "../test-tools/remote-controls.ts";
import worker from "./index.ts";

const DAY_MS = 86_400_000;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the daily cron", () => {
  it("runs every step when one fails: retention's database cut, the evals still queued, the failure logged with its code", async () => {
    // Retention's query for expired threads from this run only: its cut-off (from the scheduled time, a
    // millisecond no other file's cron has) is in the query's parameters.
    const scheduledTime = Date.now() - 7_777;
    const cutOff = new Date(scheduledTime - loadConfig(env).config.retentionDays * DAY_MS).toISOString();
    await addDbFault({ marker: cutOff, statement: 'from "threads"', action: "drop", times: 1 });
    // The queues as the steps see them: what each step sent, and no eval actually run by this file.
    const sent = { kb: [] as unknown[], evals: [] as unknown[] };
    const queue = (list: unknown[]) => ({
      send: async (message: unknown) => {
        list.push(message);
      },
    });
    const errors = vi.spyOn(console, "error");
    const controller = createScheduledController({ scheduledTime, cron: "23 3 * * *" });
    await worker.scheduled(controller, {
      ...env,
      KB_REBUILD: queue(sent.kb),
      EVALS: queue(sent.evals),
    } as unknown as Env);

    expect(await dbFaultHits(cutOff)).toBe(1);
    expect(sent.kb).toEqual([expect.objectContaining({ kind: "rebuild_kb_index", reason: "cron" })]);
    expect(sent.evals).toEqual([{ kind: "run_evals", runId: expect.any(String) }]);
    const failures = errors.mock.calls
      .map(([record]) => record as Record<string, unknown>)
      .filter((r) => r.event === "scheduled.step_failed");
    expect(failures).toEqual([
      expect.objectContaining({ step: "retention", code: "unavailable:database", cron: "23 3 * * *" }),
    ]);
    const runId = (sent.evals[0] as { runId: string }).runId;
    await query((db) => db.execute(sql`delete from eval_runs where id = ${runId}`));
  });
});
