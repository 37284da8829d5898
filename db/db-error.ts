/**
 * Database errors as they leave db/: a stable code, the SQLSTATE and whether retrying can help, and nothing
 * else. Drivers put the SQL and its parameters in their messages ("Failed query: ... params: ana@example.com"),
 * and Postgres quotes values in some messages and details; none of that may reach a log, an RPC boundary or
 * a visitor, so the original error is dropped here, at the adapter boundary, and only its classification kept.
 * Every exported query function in db/ runs inside `guarded`.
 */
import { AppError } from "../core/errors.ts";

/** upstream: the database is unreachable, overloaded or restarting; retry later. data: it refused this row. */
export type DbFault = "upstream" | "data";

/** SQLSTATE classes Postgres uses for what the caller sent: data exceptions and integrity violations. */
const DATA_CLASSES = new Set(["22", "23"]);

/** Errors postgres.js raises about the connection itself, never about a row. */
const CONNECTION_CODES = /^(CONNECTION_|CONNECT_TIMEOUT|E[A-Z]+$)/;

export class DbError extends AppError {
  override readonly name: string = "DbError";
  readonly fault: DbFault;
  /** The five-character Postgres error code, or the driver's connection code; null when neither exists. */
  readonly sqlstate: string | null;
  readonly operation: string;

  constructor(operation: string, fault: DbFault, sqlstate: string | null) {
    super(
      fault === "upstream" ? "unavailable:database" : "internal:database_rejected",
      fault === "upstream"
        ? "The database is not available right now. Please try again."
        : "The database refused this data.",
    );
    this.operation = operation;
    this.fault = fault;
    this.sqlstate = sqlstate;
  }
}

/** Classifies any error from a query into a DbError, keeping no text from the driver or the server. */
export function toDbError(operation: string, error: unknown): DbError {
  if (error instanceof DbError) return error;
  const code = driverCode(error);
  if (code && /^[0-9A-Z]{5}$/.test(code))
    return new DbError(operation, DATA_CLASSES.has(code.slice(0, 2)) ? "data" : "upstream", code);
  if (code && CONNECTION_CODES.test(code)) return new DbError(operation, "upstream", code);
  // No SQLSTATE and no connection code: a closed socket, a timeout, or a bug before the query left.
  const text = error instanceof Error ? `${error.name} ${error.message}` : "";
  const connection = /socket|network|connection|timed out|timeout|closed|reset|refused/i.test(text);
  return new DbError(operation, connection ? "upstream" : "data", null);
}

/**
 * Runs database work and rethrows any failure as a DbError.
 * @example await guarded("record.turn", () => db.insert(messages).values(rows));
 */
export async function guarded<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toDbError(operation, error);
  }
}

/** The driver's code on the error or on its cause (drizzle wraps the driver's error as `cause`). */
function driverCode(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 4; depth++) {
    const code: unknown = Reflect.get(e, "code");
    if (typeof code === "string" && code.length > 0) return code;
    e = Reflect.get(e, "cause");
  }
  return null;
}
