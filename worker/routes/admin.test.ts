import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { call } from "../../test-tools/agent-api.ts";
import { eventually, query } from "../../test-tools/remote-controls.ts";
import { cookieHeader, createTestStaff, signInAs } from "../../test-tools/staff-accounts.ts";

const ADMIN = { authorization: "Bearer test-admin-token-0123456789abcdef" };

describe("admin endpoints", () => {
  it("refuse requests without the admin token, with a wrong one, and with a thread token", async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: "Bearer wrong-token-0123456789abcdef" },
      { authorization: "Bearer test-admin-token" },
    ];
    for (const headers of attempts) {
      const response = await call("/api/admin/kb", { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: { code: "unauthorized:admin", message: "A valid admin token is required." },
      });
    }
    expect((await call("/api/admin/kb/rebuild", { method: "POST" })).status).toBe(401);
  });

  it("report each source's freshness", async () => {
    const response = await call("/api/admin/kb", { headers: ADMIN });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      available: boolean;
      searchableChunks: number;
      maxAgeHours: number;
      sources: { id: string; chunkCount: number; stale: boolean; lastLoadedAt: string }[];
    };
    expect(body).toMatchObject({ available: true, maxAgeHours: 720 });
    expect(body.searchableChunks).toBeGreaterThan(40);
    const demo = body.sources.find((s) => s.id.includes("demo-help-centre"));
    expect(demo).toMatchObject({ stale: false, chunkCount: expect.any(Number) });
    expect(Date.parse(demo?.lastLoadedAt ?? "")).toBeGreaterThan(Date.now() - 3_600_000);
  });

  it("queue a rebuild that refreshes the index statistics", async () => {
    const before = await query((db) =>
      db.execute<{ refreshed_at: Date }>(sql`select refreshed_at from kb_stats where id = 'kb'`),
    );
    const response = await call("/api/admin/kb/rebuild", { method: "POST", headers: ADMIN });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ queued: true });
    await eventually(async () => {
      const [row] = await query((db) =>
        db.execute<{ refreshed_at: Date }>(sql`select refreshed_at from kb_stats where id = 'kb'`),
      );
      return new Date(row?.refreshed_at ?? 0) > new Date(before[0]?.refreshed_at ?? 0) ? true : undefined;
    });
  });

  it("answer the Overview's metrics to the admin token, an admin's session and an admin's API token", async () => {
    const admin = await createTestStaff("Ops", "admin");
    const { jar } = await signInAs(admin);
    for (const headers of [ADMIN, admin.bearer, { cookie: cookieHeader(jar) }]) {
      const response = await call("/api/admin/metrics?window=7d", { headers });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        window: string;
        resolutionDefinition: string;
        days: unknown[];
      };
      expect(body.window).toBe("7d");
      expect(body.resolutionDefinition).toMatch(/no new message within 24 hours/);
      // Seven days back from now touch eight UTC days.
      expect(body.days).toHaveLength(8);
    }
  });

  it("refuse the metrics to an agent (403) and an unknown window (400 invalid_input:window)", async () => {
    const agent = await createTestStaff("Agent");
    const refused = await call("/api/admin/metrics", { headers: agent.bearer });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("forbidden:role");
    // An agent's token still opens nothing that changes state.
    expect((await call("/api/admin/kb/rebuild", { method: "POST", headers: agent.bearer })).status).toBe(401);
    for (const window of ["1h", "", "7D"]) {
      const response = await call(`/api/admin/metrics?window=${window}`, { headers: ADMIN });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        "invalid_input:window",
      );
    }
  });
});
