/**
 * `npm run -s staff:add -- --email E --name N [--role admin|agent] [--slack-user U123] [--new-token]`
 * Creates a staff account and prints, as its last line, a staff API token (`Authorization: Bearer …`).
 * The console password comes from STAFF_PASSWORD, or a random one is made and printed once. With
 * `--new-token`, an existing account gets another token instead. Talks to DATABASE_URL, else the local
 * PGlite of `npm start`.
 */
import { z } from "zod";
import { staffRoleSchema } from "../core/contracts/console.ts";
import { sha256Hex } from "../core/ids.ts";
import { hashPassword, passwordProblem } from "../core/staff/password.ts";
import { openDb } from "../db/client.ts";
import { addToken, createStaff, staffByEmail } from "../db/staff.ts";
import { databaseUrl, flags, newStaffToken } from "./staff-args.ts";

const argsSchema = z.object({
  email: z.email(),
  name: z.string().trim().min(1).max(60),
  role: staffRoleSchema.default("agent"),
  "slack-user": z
    .string()
    .regex(/^[UW][A-Z0-9]{2,20}$/)
    .optional(),
  "new-token": z.literal(true).optional(),
});

async function main(): Promise<number> {
  const parsed = argsSchema.safeParse(Object.fromEntries(flags(process.argv.slice(2))));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    console.error(`staff:add: --${String(issue?.path[0] ?? "email")}: ${issue?.message}`);
    console.error(
      "usage: npm run -s staff:add -- --email E --name N [--role admin|agent] [--slack-user U123]",
    );
    return 2;
  }
  const args = parsed.data;
  const generated = process.env.STAFF_PASSWORD ? null : newStaffToken().slice(9, 29);
  const password = process.env.STAFF_PASSWORD ?? generated ?? "";
  const problem = passwordProblem(password);
  if (problem) {
    console.error(`staff:add: STAFF_PASSWORD: ${problem}`);
    return 2;
  }
  const { db, close } = openDb(databaseUrl(), { max: 1 });
  try {
    const existing = await staffByEmail(db, args.email);
    if (existing && !args["new-token"]) {
      console.error(`staff:add: ${args.email} already has an account (add --new-token for another token)`);
      return 1;
    }
    const account =
      existing ??
      (await createStaff(db, {
        email: args.email,
        name: args.name,
        role: args.role,
        passwordHash: await hashPassword(password),
        slackUserId: args["slack-user"] ?? null,
      }));
    const token = newStaffToken();
    await addToken(db, account.id, await sha256Hex(token));
    console.log(`staff: ${account.name} <${account.email}> (${account.role})`);
    if (!existing && generated) console.log(`console password (shown once): ${generated}`);
    console.log(token);
    return 0;
  } finally {
    await close();
  }
}

try {
  process.exit(await main());
} catch (error) {
  // Say what failed without a stack trace: usually the database is not running or not migrated.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : "";
  console.error(
    `staff:add: ${error instanceof Error ? error.message.split("\n")[0] : error}${cause ? ` (${cause})` : ""}`,
  );
  process.exit(1);
}
