/**
 * Reads `Authorization: Bearer <token>`. Thread tokens and the admin token both arrive this way; what the
 * token opens is decided by whoever compares it (by hash, in constant time). The scheme name is
 * case-insensitive (RFC 9110 §11.1), so `bearer` works too; the token itself is compared as sent.
 */
export function bearerToken(header: string | undefined): string | null {
  return /^Bearer\s+(\S{1,512})$/i.exec(header ?? "")?.[1] ?? null;
}
