/**
 * Password sign-in for staff accounts, rate-limited before any hashing work: at most 5 failures per email and
 * 20 per client address in 15 minutes. An unknown email costs the same PBKDF2 work as a wrong password, and
 * both get the same answer, so sign-in does not reveal who has an account.
 */
import { sha256Hex } from "../../core/ids.ts";
import { hashPassword, verifyPassword } from "../../core/staff/password.ts";
import type { Database } from "../../db/client.ts";
import { recordSignInFailure, type StaffAccount, signInFailures, staffByEmail } from "../../db/staff.ts";

const WINDOW_MS = 15 * 60_000;
const MAX_PER_EMAIL = 5;
const MAX_PER_CLIENT = 20;

// Verified against when the email has no account, so both paths cost one PBKDF2 run.
let decoy: Promise<string> | null = null;

export type SignInResult =
  | { ok: true; account: StaffAccount }
  | { ok: false; reason: "rate_limited" | "wrong" };

export async function signIn(
  db: Database,
  input: { email: string; password: string; client: string },
): Promise<SignInResult> {
  const emailKey = await sha256Hex(input.email.trim().toLowerCase());
  const clientKey = await sha256Hex(input.client);
  const failures = await signInFailures(db, emailKey, clientKey, new Date(Date.now() - WINDOW_MS));
  if (failures.email >= MAX_PER_EMAIL || failures.client >= MAX_PER_CLIENT)
    return { ok: false, reason: "rate_limited" };
  const account = await staffByEmail(db, input.email);
  decoy ??= hashPassword("decoy password, never valid");
  const stored = account?.passwordHash ?? (await decoy);
  const matches = await verifyPassword(input.password, stored);
  if (account && !account.disabled && account.passwordHash && matches) return { ok: true, account };
  await recordSignInFailure(db, emailKey, clientKey);
  return { ok: false, reason: "wrong" };
}
