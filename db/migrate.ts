/**
 * Applies db/migrations to a database. Run by `npm start`, the test setup, benchmarks and `npm run db:migrate`
 * against any Postgres with pgvector; never from a request handler.
 */
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { openDb } from "./client.ts";

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

export async function migrateDatabase(url: string): Promise<void> {
  const { db, close } = openDb(url, { max: 1 });
  try {
    await migrate(db, { migrationsFolder });
  } finally {
    await close();
  }
}

if (import.meta.main) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set");
    process.exit(2);
  }
  await migrateDatabase(url);
  console.log("migrations applied");
}
