import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { call } from "../../test-tools/agent-api.ts";
import { eventually, query } from "../../test-tools/remote-controls.ts";
import { cookieHeader, createTestStaff, signInAs } from "../../test-tools/staff-accounts.ts";

async function adminCookie() {
  const admin = await createTestStaff("Kb", "admin");
  const session = await signInAs(admin);
  return { cookie: cookieHeader(session.jar), csrf: session.csrf };
}

const form = (cookie: string, fields: Record<string, string>) => ({
  method: "POST",
  headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields),
  redirect: "manual" as const,
});

describe("console Knowledge page", () => {
  it("is for admins only and in their menu", async () => {
    const agent = await createTestStaff("Ana");
    const session = await signInAs(agent);
    const cookie = cookieHeader(session.jar);
    expect((await call("/console/knowledge", { headers: { cookie } })).status).toBe(403);
    expect((await call("/console/evals", { headers: { cookie } })).status).toBe(403);
    expect(await (await call("/console", { headers: { cookie } })).text()).not.toContain(
      'href="/console/knowledge"',
    );
    const admin = await adminCookie();
    const inbox = await (await call("/console", { headers: { cookie: admin.cookie } })).text();
    expect(inbox).toContain('href="/console/knowledge"');
    expect(inbox).toContain('href="/console/evals"');
  });

  it("shows each source's counts from /api/admin/kb and the tester's top 8 with the agent's 3 marked in words", async () => {
    const { cookie } = await adminCookie();
    const kb = (await (await call("/api/admin/kb", { headers: { cookie } })).json()) as {
      sources: {
        id: string;
        docCount: number;
        chunkCount: number;
        languages: { language: string; originals: number; translations: number }[];
      }[];
    };
    const question = "Can I return boots I have worn outside?";
    const page = await call(`/console/knowledge?q=${encodeURIComponent(question)}&channel=web`, {
      headers: { cookie },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const s of kb.sources) {
      expect(html).toContain(`<th scope="row">${s.id}</th>`);
      expect(html).toContain(`<td>${s.docCount}</td><td>${s.chunkCount}</td>`);
      for (const l of s.languages) {
        if (l.originals > 0) expect(html).toContain(`${l.language} ${l.originals}`);
        if (l.translations > 0) expect(html).toContain(`${l.language} ${l.translations} translated`);
      }
    }
    // The demo help centre is translated: its originals and translations are told apart.
    expect(kb.sources.flatMap((s) => s.languages).some((l) => l.translations > 0)).toBe(true);
    const rows =
      html.slice(html.indexOf('id="tester-caption"')).split("</table>")[0]?.split("<tr>").slice(2) ?? [];
    expect(rows).toHaveLength(8);
    // The list is in the agent's (reranked) order, so its 3 are the first 3.
    rows.forEach((row, i) => {
      expect(row).toContain(`<th scope="row">${i + 1}</th>`);
      expect(row).toContain(i < 3 ? "<td>Used</td>" : "<td>Not used</td>");
    });
    expect(rows.filter((r) => r.includes("<td>Used</td>"))).toHaveLength(3);
    // A question too short is explained, not searched.
    const short = await (await call("/console/knowledge?q=a", { headers: { cookie } })).text();
    expect(short).toContain("Type a question of 2 to 500 characters");
  });

  it("queues a rebuild from its form with the CSRF token, and refuses the form without it", async () => {
    const { cookie, csrf } = await adminCookie();
    const refused = await call("/console/knowledge/rebuild", form(cookie, {}));
    expect(refused.status).toBe(403);
    const before = await query((db) =>
      db.execute<{ refreshed_at: Date }>(sql`select refreshed_at from kb_stats where id = 'kb'`),
    );
    const done = await call("/console/knowledge/rebuild", form(cookie, { csrf }));
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toMatch(/^\/console\/knowledge\?notice=Rebuild/);
    await eventually(async () => {
      const [row] = await query((db) =>
        db.execute<{ refreshed_at: Date }>(sql`select refreshed_at from kb_stats where id = 'kb'`),
      );
      return new Date(row?.refreshed_at ?? 0) > new Date(before[0]?.refreshed_at ?? 0) ? true : undefined;
    });
  });
});

describe("console Evals page", () => {
  it("starts a run from its form and lists runs with their scores and flags", async () => {
    const { cookie, csrf } = await adminCookie();
    const id = crypto.randomUUID();
    await query((db) =>
      db.execute(sql`insert into eval_runs (id, trigger, status, brain, search_mode, started_at, finished_at, scores, regressions)
        values (${id}, 'cron', 'succeeded', 'offline', 'lexical', now() - interval '1 day', now() - interval '1 day',
          ${JSON.stringify({
            routing_exact: 0.5,
            routing_lenient: 0.625,
            retrieval_recall_at_1: 0.25,
            retrieval_recall_at_3: 0.75,
            retrieval_mrr: 0.4,
          })}::jsonb,
          ${JSON.stringify([{ metric: "routing_exact", before: 0.6, after: 0.5, dropPoints: 10 }])}::jsonb)`),
    );
    const html = await (await call("/console/evals", { headers: { cookie } })).text();
    const row = html
      .slice(html.indexOf('id="runs-caption"'))
      .split("<tr>")
      .find((r) => r.includes("62.5%"));
    expect(row).toContain("<td>50.0%</td><td>62.5%</td><td>25.0%</td><td>75.0%</td><td>40.0%</td>");
    expect(row).toContain("Fell: Routing, exact 60.0% → 50.0% (−10.0 points)");
    expect(html).toContain("one bar per run");

    const started = await call("/console/evals/run", form(cookie, { csrf }));
    expect(started.status).toBe(303);
    const [queued] = await query((db) =>
      db.execute<{ id: string }>(
        sql`select id from eval_runs where trigger = 'admin' order by started_at desc limit 1`,
      ),
    );
    expect(decodeURIComponent(started.headers.get("location") ?? "")).toContain(
      `Run ${queued?.id.slice(0, 8)} queued`,
    );
    expect((await call("/console/evals/run", form(cookie, {}))).status).toBe(403);
  });
});
