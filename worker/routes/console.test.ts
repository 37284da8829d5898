import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Inbox, Transcript } from "../../core/contracts/console.ts";
import { revokeCredentials } from "../../db/staff.ts";
import { call, openThread, say } from "../../test-tools/agent-api.ts";
import { eventually, query } from "../../test-tools/remote-controls.ts";
import {
  cookieHeader,
  cookiesFrom,
  createTestStaff,
  csrfIn,
  signInAs,
} from "../../test-tools/staff-accounts.ts";

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields),
  redirect: "manual" as const,
});

describe("console API", () => {
  it("refuses requests without a session or staff token, and with a revoked token", async () => {
    for (const headers of [{}, { authorization: "Bearer sa_staff_not-a-real-token" }] as Record<
      string,
      string
    >[]) {
      const response = await call("/api/console/conversations", { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "unauthorized:staff" } });
    }
    const maya = await createTestStaff("Maya");
    expect((await call("/api/console/conversations", { headers: maya.bearer })).status).toBe(200);
    await query((db) => revokeCredentials(db, maya.id));
    const revoked = await call("/api/console/conversations", { headers: maya.bearer });
    expect(revoked.status).toBe(401);
  });

  it("lists a conversation waiting for a person first, and shows its transcript with the summary", async () => {
    const maya = await createTestStaff("Maya");
    const { threadId, token } = await openThread(
      "Where is my order FH-100231? My email is ana.kovac@example.com",
    );
    await say(threadId, token, "I'd like to talk to a person, please.");
    const waiting = await eventually(async () => {
      const response = await call("/api/console/conversations?status=handoff", { headers: maya.bearer });
      const body = (await response.json()) as Inbox;
      return body.conversations.find((c) => c.thread_id === threadId && c.waiting_since);
    });
    expect(waiting).toMatchObject({ status: "handoff", channel: "web", summary: expect.any(String) });
    expect(Date.parse(waiting.waiting_since ?? "")).toBeGreaterThan(Date.now() - 60_000);
    expect(waiting.owner).toBeUndefined();

    // With no filter, unowned waiting conversations come before every other one.
    await openThread("Do you ship to Switzerland?");
    const all = (await (await call("/api/console/conversations", { headers: maya.bearer })).json()) as Inbox;
    const firstNotWaiting = all.conversations.findIndex((c) => !(c.status === "handoff" && !c.owner));
    const ours = all.conversations.findIndex((c) => c.thread_id === threadId);
    expect(ours).toBeGreaterThanOrEqual(0);
    expect(firstNotWaiting === -1 || ours < firstNotWaiting).toBe(true);

    const response = await call(`/api/console/conversations/${threadId}`, { headers: maya.bearer });
    expect(response.status).toBe(200);
    const transcript = (await response.json()) as Transcript;
    // The "team notified" event may or may not have arrived yet.
    const said = transcript.messages.filter((m) => m.role !== "event");
    expect(said.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    const orderReply = said[1];
    expect(orderReply?.tools).toEqual([
      expect.objectContaining({ tool: "get_order", status: "succeeded", detail: "FH-100231 shipped" }),
    ]);
    expect(transcript.summary).toMatchObject({
      source: "extractive",
      why: expect.any(String),
      wants: "Where is my order FH-100231? My email is ana.kovac@example.com",
      order_numbers: ["FH-100231"],
      emails: ["ana.kovac@example.com"],
      answered: ["Looked up an order: FH-100231 is shipped"],
    });
  });

  it("answers filters it does not know with a 400 and unknown conversations with a 404", async () => {
    const maya = await createTestStaff("Maya");
    const bad = await call("/api/console/conversations?status=everything", { headers: maya.bearer });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "invalid_input:status" } });
    const missing = await call(`/api/console/conversations/${crypto.randomUUID()}`, { headers: maya.bearer });
    expect(missing.status).toBe(404);
    expect((await call("/api/console/conversations/not-a-uuid", { headers: maya.bearer })).status).toBe(404);
  });
});

describe("console sign-in", () => {
  it("opens a session in an HttpOnly, Secure, SameSite=Strict cookie and shows the inbox", async () => {
    const maya = await createTestStaff("Maya");
    const page = await call("/console/sign-in");
    expect(page.status).toBe(200);
    const jar = cookiesFrom(page);
    const csrf = csrfIn(await page.text());
    expect(csrf).toMatch(/^[0-9a-f]{40}$/);
    const signedIn = await call("/console/sign-in", {
      ...form({ email: maya.email.toUpperCase(), password: maya.password, csrf }),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("location")).toBe("/console");
    const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith("__Host-console_session="));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    cookiesFrom(signedIn, jar);
    const inbox = await call("/console", { headers: { cookie: cookieHeader(jar) } });
    expect(inbox.status).toBe(200);
    const html = await inbox.text();
    expect(html).toContain("<h1>Inbox</h1>");
    expect(html).toContain("Maya");
    expect(inbox.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    // The session opens the JSON API too.
    const api = await call("/api/console/me", { headers: { cookie: cookieHeader(jar) } });
    expect(await api.json()).toMatchObject({ staff: { name: "Maya", role: "agent" } });
  });

  it("refuses a wrong password and a missing CSRF token, then rate-limits guessing", async () => {
    const maya = await createTestStaff("Maya");
    const page = await call("/console/sign-in");
    const jar = cookiesFrom(page);
    const csrf = csrfIn(await page.text());
    const attempt = (fields: Record<string, string>) =>
      call("/console/sign-in", {
        ...form(fields),
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
      });
    expect((await attempt({ email: maya.email, password: maya.password, csrf: "forged" })).status).toBe(403);
    const wrong = await attempt({ email: maya.email, password: "not the password", csrf });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("Email or password is wrong.");
    // An unknown email gets the same answer as a wrong password.
    const unknown = await attempt({ email: "nobody@fernhill.example", password: "whatever it is", csrf });
    expect(unknown.status).toBe(401);
    for (let i = 0; i < 4; i++) await attempt({ email: maya.email, password: `guess ${i}`, csrf });
    const limited = await attempt({ email: maya.email, password: maya.password, csrf });
    expect(limited.status).toBe(429);
    expect(limited.headers.getSetCookie().some((c) => c.startsWith("__Host-console_session="))).toBe(false);
  });

  it("sends a stranger to the sign-in page and refuses a cookie form post without its CSRF token", async () => {
    const stranger = await call("/console", { redirect: "manual" });
    expect(stranger.status).toBe(303);
    expect(stranger.headers.get("location")).toBe("/console/sign-in?next=%2Fconsole");
    const admin = await createTestStaff("Ravi", "admin");
    const { jar, csrf } = await signInAs(admin);
    const withoutCsrf = await call("/console/sign-out", {
      ...form({}),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    });
    expect(withoutCsrf.status).toBe(403);
    const signedOut = await call("/console/sign-out", {
      ...form({ csrf }),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    });
    expect(signedOut.status).toBe(303);
    // The old cookie no longer opens anything.
    const after = await call("/api/console/me", { headers: { cookie: cookieHeader(jar) } });
    expect(after.status).toBe(401);
  });

  it("shows the Overview to admins only, with the figures of /api/admin/metrics and a table row per day", async () => {
    const agent = await createTestStaff("Nia");
    const admin = await createTestStaff("Ops", "admin");
    const agentSession = await signInAs(agent);
    const refused = await call("/console/overview", { headers: { cookie: cookieHeader(agentSession.jar) } });
    expect(refused.status).toBe(403);
    const adminSession = await signInAs(admin);
    const cookie = cookieHeader(adminSession.jar);
    const page = await call("/console/overview?window=7d", { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const api = (await (await call("/api/admin/metrics?window=7d", { headers: { cookie } })).json()) as {
      conversations: number;
      turns: number;
      resolutionDefinition: string;
      days: { day: string }[];
    };
    expect(html).toContain(`<dt>Conversations</dt><dd>${api.conversations}</dd>`);
    expect(html).toContain(`<dt>Turns</dt><dd>${api.turns}</dd>`);
    // Hono escapes the apostrophes of "agent's".
    expect(html).toContain(api.resolutionDefinition.replaceAll("'", "&#39;"));
    for (const day of api.days) expect(html).toContain(`<th scope="row">${day.day}</th>`);
    expect(html).toContain('href="/console/overview"');
    expect((await call("/console/overview?window=1h", { headers: { cookie } })).status).toBe(400);
  });

  it("shows the staff page to admins only, and an admin's revoke closes the other person's access", async () => {
    const agent = await createTestStaff("Maya");
    const admin = await createTestStaff("Ravi", "admin");
    const agentSession = await signInAs(agent);
    expect(
      (await call("/console/staff", { headers: { cookie: cookieHeader(agentSession.jar) } })).status,
    ).toBe(403);
    const inboxHtml = await (
      await call("/console", { headers: { cookie: cookieHeader(agentSession.jar) } })
    ).text();
    expect(inboxHtml).not.toContain('href="/console/staff"');

    const adminSession = await signInAs(admin);
    const page = await call("/console/staff", { headers: { cookie: cookieHeader(adminSession.jar) } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(agent.email);
    const revoke = await call(`/console/staff/${agent.id}/revoke`, {
      ...form({ csrf: adminSession.csrf }),
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie: cookieHeader(adminSession.jar),
      },
    });
    expect(revoke.status).toBe(303);
    expect((await call("/api/console/me", { headers: agent.bearer })).status).toBe(401);
    expect(
      (await call("/api/console/me", { headers: { cookie: cookieHeader(agentSession.jar) } })).status,
    ).toBe(401);
    const [row] = await query((db) =>
      db.execute<{ n: number }>(
        sql`select count(*)::int as n from staff_tokens where staff_id = ${agent.id} and revoked_at is null`,
      ),
    );
    expect(row?.n).toBe(0);
  });
});
