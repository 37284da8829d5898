/**
 * Shared by the staff CLIs (staff-add.ts, staff-revoke.ts): `--flag value` arguments and the database they
 * talk to (DATABASE_URL, else the local PGlite that `npm start` runs).
 */
export function flags(argv: string[]): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) throw new Error(`unexpected argument: ${arg}`);
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      out.set(arg.slice(2), next);
      i++;
    } else out.set(arg.slice(2), true);
  }
  return out;
}

export function databaseUrl(): string {
  return (
    process.env.DATABASE_URL ??
    `postgres://postgres:postgres@127.0.0.1:${process.env.LOCAL_DB_PORT ?? 54329}/postgres`
  );
}

/** A staff API token: recognisable by its prefix (for secret scanners), 256 random bits. */
export function newStaffToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `sa_staff_${Buffer.from(bytes).toString("base64url")}`;
}
