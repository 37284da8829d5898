/**
 * Mints the sign-in tokens the WordPress plugin hands the widget (HS256 JWTs) with the private stack's identity
 * settings, and forged or malformed variants of them. Used by api-checks.ts (the API's sign-in rules) and
 * run.ts (a signed-in visitor continuing on another device).
 */
import { hs256 } from "../../test-tools/identity-token.ts";
import { E2E_IDENTITY } from "./stack.ts";

export { hs256, jwtPart } from "../../test-tools/identity-token.ts";

/** Valid claims for the stack (Ana, subject 1001, five minutes), with any of them replaced. */
export function identityClaims(over: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: E2E_IDENTITY.issuer,
    aud: E2E_IDENTITY.audience,
    sub: "1001",
    email: "ana.kovac@example.com",
    name: "Ana Kovač",
    iat: now,
    exp: now + 300,
    ...over,
  };
}

/** A fresh, valid sign-in token, as the plugin renders one into each page it serves. */
export function identityToken(over: Record<string, unknown> = {}): Promise<string> {
  return hs256({ alg: "HS256", typ: "JWT" }, identityClaims(over), E2E_IDENTITY.secret);
}
