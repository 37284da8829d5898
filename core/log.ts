/**
 * Structured logging: one plain object per event, so Workers Logs indexes the fields and
 * `wrangler tail --format json | jq` can filter them. Callers log ids, sizes, durations and outcomes, never
 * secrets, emails or message bodies.
 */
export type LogFields = Record<string, unknown>;
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export function createLogger(base: LogFields = {}, minLevel: LogLevel = "info"): Logger {
  const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
  const write = (level: LogLevel, event: string, fields: Record<string, unknown> = {}) => {
    if (order[level] < order[minLevel]) return;
    const { error, ...rest } = fields;
    const record = { level, event, ts: new Date().toISOString(), ...base, ...rest, ...describeError(error) };
    if (level === "error") console.error(record);
    else if (level === "warn") console.warn(record);
    else console.log(record);
  };
  return {
    debug: (event, fields) => write("debug", event, fields),
    info: (event, fields) => write("info", event, fields),
    warn: (event, fields) => write("warn", event, fields),
    error: (event, fields) => write("error", event, fields),
    child: (fields) => createLogger({ ...base, ...fields }, minLevel),
  };
}

function describeError(error: unknown): Record<string, string | undefined> {
  if (error === undefined) return {};
  if (error instanceof Error) {
    const cause =
      error.cause instanceof Error ? { errorCause: `${error.cause.name}: ${error.cause.message}` } : {};
    return { errorName: error.name, errorMessage: error.message, ...cause, stack: error.stack ?? "" };
  }
  return { errorMessage: String(error) };
}

/** Reads a configured level, falling back to info for anything unknown. */
export function logLevel(value: unknown): LogLevel {
  return value === "debug" || value === "warn" || value === "error" ? value : "info";
}
