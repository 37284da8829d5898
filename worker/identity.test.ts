import { describe, expect, it } from "vitest";
import { hs256, jwtPart as part } from "../test-tools/identity-token.ts";
import { IDENTITY_REJECTED, identityFromRequest, verifyIdentityToken } from "./identity.ts";

const SECRET = "a-shared-secret-of-at-least-32-bytes!!";
const config = { secret: SECRET, issuer: "https://shop.example", audience: "https://agent.example" };
const NOW = 1_800_000_000;

const claims = (over: Record<string, unknown> = {}) => ({
  iss: "https://shop.example",
  aud: "https://agent.example",
  sub: "42",
  email: "ana.kovac@example.com",
  name: "Ana Kovač",
  iat: NOW - 10,
  exp: NOW + 290,
  ...over,
});

function mint(
  payload: Record<string, unknown> = claims(),
  header: Record<string, unknown> = { alg: "HS256", typ: "JWT" },
  secret = SECRET,
) {
  return hs256(header, payload, secret);
}

const verify = (token: string, now = NOW) => verifyIdentityToken(token, config, now);

describe("verifyIdentityToken", () => {
  it("accepts a valid token and returns who it names", async () => {
    expect(await verify(await mint())).toEqual({
      ok: true,
      value: { sub: "42", email: "ana.kovac@example.com", name: "Ana Kovač" },
    });
  });

  it("leaves out an empty name", async () => {
    const result = await verify(await mint(claims({ name: "" })));
    expect(result.ok && result.value).toEqual({ sub: "42", email: "ana.kovac@example.com" });
  });

  it.each([
    ["alg none, no signature", async () => `${part({ alg: "none", typ: "JWT" })}.${part(claims())}.`],
    ["alg none, with a signature", () => mint(claims(), { alg: "none" })],
    ["alg NONE", () => mint(claims(), { alg: "NONE" })],
    ["HS512", () => mint(claims(), { alg: "HS512" })],
    ["RS256", () => mint(claims(), { alg: "RS256" })],
    ["no alg", () => mint(claims(), { typ: "JWT" })],
    ["a crit header", () => mint(claims(), { alg: "HS256", crit: ["exp"] })],
    ["another typ", () => mint(claims(), { alg: "HS256", typ: "at+jwt" })],
  ])("rejects %s", async (_name, token) => {
    const result = await verify(await token());
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/malformed|algorithm|header/) });
  });

  it("rejects a token signed with another secret (forged)", async () => {
    const result = await verify(await mint(claims(), undefined, "another-secret-that-is-32-bytes-long!!"));
    expect(result).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects a tampered payload under the original signature", async () => {
    const [h, , s] = (await mint()).split(".");
    const tampered = `${h}.${part(claims({ email: "someone.else@example.com" }))}.${s}`;
    expect(await verify(tampered)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("checks issuer and audience exactly", async () => {
    for (const over of [
      { iss: "https://shop.example/" },
      { iss: "https://evil.example" },
      { aud: "https://agent.example/" },
      { aud: ["https://agent.example"] },
      { aud: "https://other-agent.example" },
    ]) {
      expect(await verify(await mint(claims(over)))).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/issuer|audience/),
      });
    }
  });

  it("allows five seconds of clock skew on exp, iat and nbf, no more", async () => {
    const token = await mint(claims({ iat: NOW - 300, exp: NOW }));
    expect((await verify(token, NOW + 4)).ok).toBe(true);
    expect(await verify(token, NOW + 5)).toEqual({ ok: false, reason: "expired" });
    // The case that used to pass: expired 30 s ago.
    expect(await verify(token, NOW + 30)).toEqual({ ok: false, reason: "expired" });
    const early = await mint(claims({ iat: NOW + 6, exp: NOW + 300 }));
    expect(await verify(early)).toEqual({ ok: false, reason: "not_yet_valid" });
    expect((await verify(await mint(claims({ iat: NOW + 5, exp: NOW + 300 })))).ok).toBe(true);
    expect(await verify(await mint(claims({ nbf: NOW + 6 })))).toEqual({
      ok: false,
      reason: "not_yet_valid",
    });
    expect((await verify(await mint(claims({ nbf: NOW + 5 })))).ok).toBe(true);
  });

  it("refuses lifetimes over ten minutes", async () => {
    expect(await verify(await mint(claims({ iat: NOW, exp: NOW + 601 })))).toMatchObject({ ok: false });
    expect(await verify(await mint(claims({ iat: NOW - 5000, exp: NOW + 3600 })))).toMatchObject({
      ok: false,
    });
    expect((await verify(await mint(claims({ iat: NOW, exp: NOW + 600 })))).ok).toBe(true);
  });

  it("requires sub, a plausible email, iat and exp, all plain text", async () => {
    for (const over of [
      { sub: "" },
      { email: "not-an-email" },
      { email: "ana\u0000@example.com" },
      { name: "Ana\u0007" },
      { iat: undefined },
      { exp: undefined },
      { exp: "soon" },
    ]) {
      expect(await verify(await mint(claims(over)))).toMatchObject({ ok: false });
    }
  });

  it("rejects malformed tokens without throwing", async () => {
    for (const token of ["", "abc", "a.b", "a.b.c.d", "a.b.c", "!!.??.**", `${"a".repeat(5000)}.b.c`]) {
      expect(await verify(token)).toMatchObject({ ok: false, reason: expect.any(String) });
    }
  });

  it("refuses to verify with a short secret", async () => {
    const token = await mint(claims(), undefined, "short");
    expect(await verifyIdentityToken(token, { ...config, secret: "short" }, NOW)).toMatchObject({
      ok: false,
    });
  });
});

describe("identityFromRequest", () => {
  it("gives no identity without a token, and 401-worthy failures for tokens it cannot check", async () => {
    expect(await identityFromRequest(undefined, config)).toEqual({ ok: true, value: null });
    expect(await identityFromRequest("  ", config)).toEqual({ ok: true, value: null });
    const token = await mint(
      claims({ iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 300 }),
    );
    expect(await identityFromRequest(token, config)).toMatchObject({ ok: true, value: { sub: "42" } });
    // Sign-in off (or misconfigured, which the config loader turns into off): every token is refused.
    expect(await identityFromRequest(token, null)).toEqual({
      ok: false,
      code: "unauthorized:identity",
      message: IDENTITY_REJECTED,
      reason: "not_configured",
    });
  });

  it("gives every refused token the same text, whatever check failed", async () => {
    const now = Math.floor(Date.now() / 1000);
    const tokens = [
      await mint(claims({ iat: now - 60, exp: now - 30 })),
      await mint(claims({ iat: now, exp: now + 300 }), undefined, "another-secret-that-is-32-bytes-long!!"),
      await mint(claims({ iat: now, exp: now + 300, aud: "https://other.example" })),
      "not.a.jwt",
    ];
    const results = await Promise.all(tokens.map((t) => identityFromRequest(t, config)));
    expect(new Set(results.map((r) => (r.ok ? "ok" : r.message)))).toEqual(new Set([IDENTITY_REJECTED]));
    expect(new Set(results.map((r) => r.reason)).size).toBe(4);
  });
});
