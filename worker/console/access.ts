/**
 * Cloudflare Access in front of the console: verifies the `Cf-Access-Jwt-Assertion` header (RS256, signed by
 * the team's keys at `<team domain>/cdn-cgi/access/certs`, issuer = team domain, audience = the Access
 * application's AUD tag) with jose, and returns the verified email. The key set is fetched once per isolate
 * and refreshed by jose when a token names an unknown key.
 */
import { createRemoteJWKSet, jwtVerify } from "jose";

type KeySet = ReturnType<typeof createRemoteJWKSet>;
const keySets = new Map<string, KeySet>();

export async function verifyAccessJwt(
  token: string,
  access: { teamDomain: string; audience: string },
): Promise<{ ok: true; email: string } | { ok: false; reason: string }> {
  let keys = keySets.get(access.teamDomain);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(`${access.teamDomain}/cdn-cgi/access/certs`), {
      timeoutDuration: 3_000,
      cooldownDuration: 30_000,
    });
    keySets.set(access.teamDomain, keys);
  }
  try {
    const { payload } = await jwtVerify(token, keys, {
      issuer: access.teamDomain,
      audience: access.audience,
      algorithms: ["RS256"],
      clockTolerance: 30,
    });
    const email = typeof payload.email === "string" ? payload.email : "";
    return email ? { ok: true, email } : { ok: false, reason: "no_email" };
  } catch (error) {
    return { ok: false, reason: error instanceof Error && "code" in error ? String(error.code) : "invalid" };
  }
}
