/**
 * Reads the subject (`sub`) of the site's sign-in token, a JWT the widget cannot and need not verify: the
 * agent verifies it on every request. The widget only uses the subject to tell whose conversation
 * localStorage holds, so a shared computer does not show one person's thread to the next. Used by chat.ts.
 */

/** The token's `sub` claim, or null for no token or one that is not a readable JWT. */
export function tokenSubject(token: string | null): string | null {
  const payload = token?.split(".")[1];
  if (!payload) return null;
  try {
    const binary = atob(payload.replaceAll("-", "+").replaceAll("_", "/"));
    const claims: unknown = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))),
    );
    return typeof claims === "object" &&
      claims !== null &&
      "sub" in claims &&
      typeof claims.sub === "string" &&
      claims.sub
      ? claims.sub
      : null;
  } catch {
    return null;
  }
}
