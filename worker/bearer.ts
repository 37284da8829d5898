/**
 * Reads `Authorization: Bearer <token>`. Thread tokens and the admin token both arrive this way; what the
 * token opens is decided by whoever compares it (by hash, in constant time).
 */
export function bearerToken(header: string | undefined): string | null {
  return /^Bearer\s+(\S{1,512})$/.exec(header ?? "")?.[1] ?? null;
}
