/**
 * Mints the sign-in token the WordPress plugin hands to the widget (HS256 JWT), for Workers tests of signed-in
 * visitors. The secret, issuer and audience match the test projects' bindings in vitest.config.ts.
 */
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
const part = (value: unknown) => b64url(new TextEncoder().encode(JSON.stringify(value)));

export async function mintIdentityToken(sub: string, email: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const input = `${part({ alg: "HS256", typ: "JWT" })}.${part({ iss: TEST_IDENTITY.issuer, aud: TEST_IDENTITY.audience, sub, email, iat: now, exp: now + 300 })}`;
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(TEST_IDENTITY.secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(input)));
  return `${input}.${b64url(signature)}`;
}
