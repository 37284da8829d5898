/**
 * Reads the subject (`sub`) of the site's sign-in token, a JWT the widget cannot and need not verify: the
 * agent verifies it on every request. The widget only uses the subject to tell whose conversation
 * localStorage holds, so a shared computer does not show one person's thread to the next, and the name for the
 * "Signed in as" line, shown once the agent has accepted the token. Used by chat.ts.
 */

/** The token's claims, or null for no token or one that is not a readable JWT. */
function tokenClaims(token: string | null): Record<string, unknown> | null {
  const payload = token?.split(".")[1];
  if (!payload) return null;
  try {
    const binary = atob(payload.replaceAll("-", "+").replaceAll("_", "/"));
    const claims: unknown = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))),
    );
    return typeof claims === "object" && claims !== null ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const text = (value: unknown): string | null => (typeof value === "string" && value ? value : null);

/** The token's `sub` claim, or null for no token or one that is not a readable JWT. */
export function tokenSubject(token: string | null): string | null {
  return text(tokenClaims(token)?.sub);
}

/** Whom the "Signed in as" line names: the token's display name, else its email; null without either. */
export function tokenDisplayName(token: string | null): string | null {
  const claims = tokenClaims(token);
  return text(claims?.name) ?? text(claims?.email);
}
