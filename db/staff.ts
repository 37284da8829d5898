/**
 * Staff accounts and their credentials in Postgres: accounts, API tokens, console sessions and failed
 * sign-ins. Tokens and session ids are stored only as SHA-256 hashes; callers hash before they ask. Used by
 * the console's auth middleware (worker/console), `staff:add` and the admin staff page.
 */
import { and, count, eq, gt, isNull, or, sql } from "drizzle-orm";
import { type StaffMember, staffRoleSchema } from "../core/contracts/console.ts";
import type { Database } from "./client.ts";
import { staff, staffSessions, staffSignInFailures, staffTokens } from "./schema.ts";

export interface StaffAccount extends StaffMember {
  passwordHash: string | null;
  slackUserId: string | null;
  disabled: boolean;
}

type Row = typeof staff.$inferSelect;
const toAccount = (r: Row): StaffAccount => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: staffRoleSchema.catch("agent").parse(r.role),
  passwordHash: r.passwordHash,
  slackUserId: r.slackUserId,
  disabled: r.disabledAt !== null,
});
export const toMember = ({ id, email, name, role }: StaffMember): StaffMember => ({ id, email, name, role });

export async function createStaff(
  db: Database,
  input: {
    email: string;
    name: string;
    role: StaffMember["role"];
    passwordHash: string | null;
    slackUserId?: string | null;
  },
): Promise<StaffAccount> {
  const [row] = await db
    .insert(staff)
    .values({ ...input, email: input.email.trim(), slackUserId: input.slackUserId ?? null })
    .returning();
  if (!row) throw new Error("staff insert returned nothing");
  return toAccount(row);
}

export async function staffByEmail(db: Database, email: string): Promise<StaffAccount | null> {
  const [row] = await db
    .select()
    .from(staff)
    .where(eq(sql`lower(${staff.email})`, email.trim().toLowerCase()))
    .limit(1);
  return row ? toAccount(row) : null;
}

export async function staffById(db: Database, id: string): Promise<StaffAccount | null> {
  const [row] = await db.select().from(staff).where(eq(staff.id, id)).limit(1);
  return row ? toAccount(row) : null;
}

export async function staffBySlackUser(db: Database, slackUserId: string): Promise<StaffAccount | null> {
  const [row] = await db.select().from(staff).where(eq(staff.slackUserId, slackUserId)).limit(1);
  return row ? toAccount(row) : null;
}

export async function listStaff(db: Database): Promise<(StaffAccount & { activeTokens: number })[]> {
  const rows = await db
    .select({
      row: staff,
      activeTokens: sql<number>`(select count(*)::int from ${staffTokens} t where t.staff_id = ${staff.id} and t.revoked_at is null)`,
    })
    .from(staff)
    .orderBy(staff.name);
  return rows.map((r) => ({ ...toAccount(r.row), activeTokens: Number(r.activeTokens) }));
}

export async function addToken(db: Database, staffId: string, tokenHash: string): Promise<void> {
  await db.insert(staffTokens).values({ staffId, tokenHash });
}

/** The enabled staff member an API token belongs to; revoked tokens and disabled accounts open nothing. */
export async function staffByToken(db: Database, tokenHash: string): Promise<StaffAccount | null> {
  const [found] = await db
    .select({ row: staff, tokenId: staffTokens.id })
    .from(staffTokens)
    .innerJoin(staff, eq(staff.id, staffTokens.staffId))
    .where(and(eq(staffTokens.tokenHash, tokenHash), isNull(staffTokens.revokedAt), isNull(staff.disabledAt)))
    .limit(1);
  if (!found) return null;
  await db.update(staffTokens).set({ lastUsedAt: new Date() }).where(eq(staffTokens.id, found.tokenId));
  return toAccount(found.row);
}

/** Revokes a staff member's API tokens and console sessions at once (a lost laptop, someone leaving). */
export async function revokeCredentials(
  db: Database,
  staffId: string,
): Promise<{ tokens: number; sessions: number }> {
  const now = new Date();
  const tokens = await db
    .update(staffTokens)
    .set({ revokedAt: now })
    .where(and(eq(staffTokens.staffId, staffId), isNull(staffTokens.revokedAt)))
    .returning({ id: staffTokens.id });
  const sessions = await db
    .update(staffSessions)
    .set({ revokedAt: now })
    .where(and(eq(staffSessions.staffId, staffId), isNull(staffSessions.revokedAt)))
    .returning({ id: staffSessions.idHash });
  return { tokens: tokens.length, sessions: sessions.length };
}

export async function createSession(
  db: Database,
  idHash: string,
  staffId: string,
  expiresAt: Date,
): Promise<void> {
  await db.insert(staffSessions).values({ idHash, staffId, expiresAt });
}

export async function staffBySession(db: Database, idHash: string): Promise<StaffAccount | null> {
  const [found] = await db
    .select({ row: staff })
    .from(staffSessions)
    .innerJoin(staff, eq(staff.id, staffSessions.staffId))
    .where(
      and(
        eq(staffSessions.idHash, idHash),
        isNull(staffSessions.revokedAt),
        gt(staffSessions.expiresAt, new Date()),
        isNull(staff.disabledAt),
      ),
    )
    .limit(1);
  return found ? toAccount(found.row) : null;
}

export async function endSession(db: Database, idHash: string): Promise<void> {
  await db.update(staffSessions).set({ revokedAt: new Date() }).where(eq(staffSessions.idHash, idHash));
}

export async function recordSignInFailure(db: Database, emailKey: string, clientKey: string): Promise<void> {
  await db.insert(staffSignInFailures).values({ emailKey, clientKey });
}

/** Failed sign-ins since `since` for this email and for this client address. */
export async function signInFailures(
  db: Database,
  emailKey: string,
  clientKey: string,
  since: Date,
): Promise<{ email: number; client: number }> {
  const [row] = await db
    .select({
      email: count(sql`case when ${staffSignInFailures.emailKey} = ${emailKey} then 1 end`),
      client: count(sql`case when ${staffSignInFailures.clientKey} = ${clientKey} then 1 end`),
    })
    .from(staffSignInFailures)
    .where(
      and(
        gt(staffSignInFailures.at, since),
        or(eq(staffSignInFailures.emailKey, emailKey), eq(staffSignInFailures.clientKey, clientKey)),
      ),
    );
  return { email: Number(row?.email ?? 0), client: Number(row?.client ?? 0) };
}
