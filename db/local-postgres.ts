/**
 * A local Postgres with pgvector for development, tests and benchmarks: PGlite (Postgres compiled to WASM)
 * served over the wire protocol by db/pglite-server.ts. Users with their own Postgres point DATABASE_URL at it.
 */
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { servePglite } from "./pglite-server.ts";

export interface LocalPostgres {
  url: string;
  db: PGlite;
  stop(): Promise<void>;
}

export interface LocalPostgresOptions {
  /** Folder for the data files; omitted means in memory. */
  dataDir?: string;
  /** 0 picks a free port. */
  port?: number;
}

export async function startLocalPostgres(options: LocalPostgresOptions = {}): Promise<LocalPostgres> {
  // PGlite does not create parent folders of its data dir.
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir, extensions: { vector } });
  const server = await servePglite(db, { port: options.port ?? 0 }).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
  let stopped: Promise<void> | null = null;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${server.port}/postgres`,
    db,
    // Clients first, then the database: a query still in flight must not meet a closed PGlite. Once only.
    stop() {
      stopped ??= server.close().then(() => db.close());
      return stopped;
    },
  };
}
