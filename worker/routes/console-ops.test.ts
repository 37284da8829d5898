import { describe, expect, it } from "vitest";
import { call } from "../../test-tools/agent-api.ts";
import { cookieHeader, createTestStaff, signInAs } from "../../test-tools/staff-accounts.ts";

describe("console Tools and Budgets pages", () => {
  it("are admin pages in the menu; agents get 403", async () => {
    const admin = await createTestStaff("Pages", "admin");
    const { jar } = await signInAs(admin);
    const cookie = { cookie: cookieHeader(jar) };
    const tools = await call("/console/tools?window=7d", { headers: cookie });
    expect(tools.status).toBe(200);
    const html = await tools.text();
    expect(html).toContain('href="/console/tools"');
    expect(html).toContain('href="/console/budgets"');
    for (const tool of ["search_kb", "get_order", "create_ticket", "handoff_human"])
      expect(html).toContain(`<h2 id="tool-${tool}">${tool}</h2>`);
    expect(html).toContain("Turn off get_order");
    expect(html).toMatch(/Closed \(\d+ recent failures/);
    expect(html).toContain("No breaker (queued: the queue retries it)");
    const budgets = await call("/console/budgets", { headers: cookie });
    expect(budgets.status).toBe(200);
    expect(await budgets.text()).toMatch(/Site tokens<\/dt><dd>[\d,]+ of 10,000,000/);

    const agent = await createTestStaff("Agent");
    const { jar: agentJar } = await signInAs(agent);
    expect((await call("/console/tools", { headers: { cookie: cookieHeader(agentJar) } })).status).toBe(403);
    expect((await call("/console/budgets", { headers: { cookie: cookieHeader(agentJar) } })).status).toBe(
      403,
    );
  });
});
