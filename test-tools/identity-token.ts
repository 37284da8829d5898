/**
 * Mints HS256 JWTs like the WordPress plugin's sign-in tokens, for tests in Node and in workerd (Web Crypto
 * only): valid ones, and forged or malformed variants through `hs256` with any header and claims. The
 * defaults match the Workers test projects' bindings in vitest.config.ts.
 */
import { hmacSha256 } from "../core/ids.ts";

export const TEST_IDENTITY = {
  secret: "test-identity-secret-of-at-least-32-bytes",
  issuer: "https://shop.test",
  audience: "https://agent.test",
};

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");

export const jwtPart = (value: unknown): string => b64url(new TextEncoder().encode(JSON.stringify(value)));

export async function hs256(header: object, claims: object, secret: string): Promise<string> {
  const input = `${jwtPart(header)}.${jwtPart(claims)}`;
  const signature = await hmacSha256(secret, input);
  return `${input}.${b64url(signature)}`;
}

/** A valid five-minute token for the Workers test projects. */
export function mintIdentityToken(sub: string, email: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: TEST_IDENTITY.issuer,
    aud: TEST_IDENTITY.audience,
    sub,
    email,
    iat: now,
    exp: now + 300,
  };
  return hs256({ alg: "HS256", typ: "JWT" }, claims, TEST_IDENTITY.secret);
}
