import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { createTestStaff } from "../../test-tools/staff-accounts.ts";
import { createApp } from "../app.ts";
import { verifyAccessJwt } from "./access.ts";

const AUD = "fake-access-aud-0123456789";

async function mint(claims: {
  email: string;
  aud?: string;
  iss?: string;
  expiresIn?: string;
  foreignKey?: boolean;
}) {
  const response = await fetch(`${inject("fakeAccessUrl")}/_fake/mint`, {
    method: "POST",
    body: JSON.stringify({ aud: AUD, ...claims }),
  });
  return ((await response.json()) as { token: string }).token;
}

/** The Worker's app with Cloudflare Access switched on, pointing at the local team domain. */
async function behindAccess(path: string, headers: Record<string, string>) {
  const ctx = createExecutionContext();
  const accessEnv = { ...env, ACCESS_TEAM_DOMAIN: inject("fakeAccessUrl"), ACCESS_AUD: AUD };
  const response = await createApp().request(
    `https://agent.test${path}`,
    { headers, redirect: "manual" },
    accessEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

describe("Cloudflare Access", () => {
  const access = () => ({ teamDomain: inject("fakeAccessUrl"), audience: AUD });

  it("accepts an assertion signed by the team's keys for this application", async () => {
    const verified = await verifyAccessJwt(await mint({ email: "Maya@Fernhill.example" }), access());
    expect(verified).toEqual({ ok: true, email: "Maya@Fernhill.example" });
  });

  it("refuses another application's, another issuer's, an expired and a forged assertion", async () => {
    for (const claims of [
      { email: "maya@fernhill.example", aud: "another-app" },
      { email: "maya@fernhill.example", iss: "https://evil.cloudflareaccess.com" },
      { email: "maya@fernhill.example", expiresIn: "-5m" },
      { email: "maya@fernhill.example", foreignKey: true },
    ]) {
      const verified = await verifyAccessJwt(await mint(claims), access());
      expect(verified.ok, JSON.stringify(claims)).toBe(false);
    }
    expect((await verifyAccessJwt("not.a.jwt", access())).ok).toBe(false);
  });

  it("opens the console for a staff member's verified email and nothing for anyone else", async () => {
    const maya = await createTestStaff("Maya");
    const inbox = await behindAccess("/console", {
      "cf-access-jwt-assertion": await mint({ email: maya.email }),
    });
    expect(inbox.status).toBe(200);
    expect(await inbox.text()).toContain("<h1>Inbox</h1>");
    // The first visit starts a console session, so later requests carry the CSRF-bound cookie.
    expect(inbox.headers.getSetCookie().some((c) => c.startsWith("__Host-console_session="))).toBe(true);

    const stranger = await behindAccess("/console", {
      "cf-access-jwt-assertion": await mint({ email: "someone.else@example.com" }),
    });
    expect(stranger.status).toBe(303);
    const missing = await behindAccess("/api/console/me", {});
    expect(missing.status).toBe(401);
    const forged = await behindAccess("/api/console/me", {
      "cf-access-jwt-assertion": await mint({ email: maya.email, foreignKey: true }),
    });
    expect(forged.status).toBe(401);
  });
});
