/**
 * Opens a drizzle database over postgres.js. The Worker opens one per request over Hyperdrive (Hyperdrive
 * pools the real connections); a Durable Object keeps one open across its calls while it is busy
 * (`sharedDb`); Node tools open one for their whole run. Query functions in db/ wrap every failure with
 * db-error.ts, so no driver message (which carries the SQL's parameters) leaves this folder.
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
    // A database that cannot be reached fails a query within seconds, not the driver's default 30.
    connect_timeout: 5,
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

/**
 * A connection a Durable Object reuses across its turns instead of opening one per turn: opened on first use,
 * closed after `idleMs` without use (and by the platform when the object is evicted).
 */
export function sharedDb(
  url: () => string,
  options: { idleMs?: number } = {},
): {
  get(): Database;
  close(): Promise<void>;
  /** Drops the connection after an upstream fault: the driver would back off its reconnects for up to 20 s. */
  reset(): void;
} {
  const idleMs = options.idleMs ?? 10_000;
  let handle: DbHandle | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const close = async () => {
    clearTimeout(timer);
    const open = handle;
    handle = null;
    if (open) await open.close().catch(() => {});
  };
  return {
    get() {
      handle ??= openDb(url(), { max: 2 });
      clearTimeout(timer);
      timer = setTimeout(() => void close(), idleMs);
      return handle.db;
    },
    close,
    reset: () => void close(),
  };
}
