/**
 * Test-only helper for kb-loader's and db/kb-search's tests: a fresh in-memory PGlite+pgvector database with the
 * migrations applied, and a drizzle handle to it over the wire protocol (the path production takes).
 */
import { type Database, openDb } from "../db/client.ts";
import { startLocalPostgres } from "../db/local-postgres.ts";
import { migrateDatabase } from "../db/migrate.ts";

export interface TestDatabase {
  db: Database;
  url: string;
  stop(): Promise<void>;
}

export async function startTestDatabase(): Promise<TestDatabase> {
  const pg = await startLocalPostgres();
  await migrateDatabase(pg.url);
  const handle = openDb(pg.url, { max: 1 });
  return {
    db: handle.db,
    url: pg.url,
    async stop() {
      await handle.close();
      await pg.stop();
    },
  };
}
