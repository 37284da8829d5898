import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { call } from "../../test-tools/agent-api.ts";
import { query } from "../../test-tools/remote-controls.ts";
import { cookieHeader, createTestStaff, csrfIn, signInAs } from "../../test-tools/staff-accounts.ts";

// In the rollout project (its own database): a switch flipped here cannot reach another file's requests. Email,
// because slack-switch.rollout-test.ts holds the Slack channel off for a while.
describe("the console's Tools page", () => {
  it("switch through a form with the CSRF token, audited under the admin's name", async () => {
    const admin = await createTestStaff("Switcher", "admin");
    const { jar } = await signInAs(admin);
    const cookie = cookieHeader(jar);
    const page = await (await call("/console/tools", { headers: { cookie } })).text();
    const form = (enabled: string, csrf: string) =>
      call("/console/tools/switches", {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrf, kind: "channel", name: "email", enabled, window: "24h" }),
        redirect: "manual",
      });
    expect((await form("false", "wrong")).status).toBe(403);
    const off = await form("false", csrfIn(page));
    expect(off.status).toBe(303);
    expect(decodeURIComponent(off.headers.get("location") ?? "")).toContain("channel email is now off");
    expect((await form("true", csrfIn(page))).status).toBe(303);
    const audit = await query((db) =>
      db.execute<Record<string, unknown>>(
        sql`select to_enabled, actor_name from rollout_switch_changes where actor_id = ${admin.id} order by created_at`,
      ),
    );
    expect(audit).toEqual([
      { to_enabled: false, actor_name: "Switcher" },
      { to_enabled: true, actor_name: "Switcher" },
    ]);
  });
});
