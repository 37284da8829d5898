/**
 * Opens a drizzle database over postgres.js. The Worker and Durable Objects open one per request or turn over
 * Hyperdrive (Hyperdrive pools the real connections); Node tools open one for their whole run.
 */
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema.ts";

export type Database = ReturnType<typeof drizzle<typeof schema>>;

export interface DbHandle {
  db: Database;
  close(): Promise<void>;
}

/**
 * @example
 * const { db, close } = openDb(env.HYPERDRIVE.connectionString);
 * try { await db.select().from(orders) } finally { ctx.waitUntil(close()) }
 */
export function openDb(url: string, options: { max?: number } = {}): DbHandle {
  const client = postgres(url, {
    max: options.max ?? 5,
    // Array and JSON types are known up front; skipping the type fetch saves a round trip per connection.
    fetch_types: false,
    // Named prepared statements are session state, and PGlite's socket server shares one session across
    // connections; unnamed statements work everywhere (Hyperdrive, Neon, RDS, PGlite).
    prepare: false,
    onnotice: () => {},
  });
  return { db: drizzle(client, { schema }), close: () => client.end({ timeout: 1 }) };
}

/** A database that connects on first use: a turn that needs no tool and fails early never opens a socket. */
export function lazyDb(url: string): { get(): Database; close(): Promise<void> } {
  let handle: DbHandle | null = null;
  return {
    get() {
      handle ??= openDb(url);
      return handle.db;
    },
    async close() {
      if (handle) await handle.close();
      handle = null;
    },
  };
}
