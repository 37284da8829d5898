/**
 * A local Postgres with pgvector for development, tests and benchmarks: PGlite (Postgres compiled to WASM) served
 * over the wire protocol by pglite-socket. Users with their own Postgres point DATABASE_URL at it instead.
 */
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

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
  /** Queries still run one at a time; extra connections only wait their turn instead of being dropped. */
  maxConnections?: number;
}

export async function startLocalPostgres(options: LocalPostgresOptions = {}): Promise<LocalPostgres> {
  // PGlite does not create parent folders of its data dir.
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir, extensions: { vector } });
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? 32,
  });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres:postgres@${address}/postgres`,
    db,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
