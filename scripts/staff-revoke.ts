/**
 * `npm run -s staff:revoke -- --email E [--disable]`: revokes every API token and console session of a staff
 * member at once; `--disable` also switches the account off. Talks to DATABASE_URL, else npm start's PGlite.
 */
import { eq } from "drizzle-orm";
import { openDb } from "../db/client.ts";
import { staff } from "../db/schema.ts";
import { revokeCredentials, staffByEmail } from "../db/staff.ts";
import { databaseUrl, flags } from "./staff-args.ts";

const args = flags(process.argv.slice(2));
const email = args.get("email");
if (typeof email !== "string") {
  console.error("usage: npm run -s staff:revoke -- --email E [--disable]");
  process.exit(2);
}
const { db, close } = openDb(databaseUrl(), { max: 1 });
try {
  const account = await staffByEmail(db, email);
  if (!account) {
    console.error(`staff:revoke: no account for ${email}`);
    process.exitCode = 1;
  } else {
    const revoked = await revokeCredentials(db, account.id);
    if (args.get("disable") === true)
      await db.update(staff).set({ disabledAt: new Date() }).where(eq(staff.id, account.id));
    console.log(`revoked ${revoked.tokens} token(s) and ${revoked.sessions} session(s) of ${account.name}`);
  }
} finally {
  await close();
}
