/**
 * Structured logging: one plain object per event, so Workers Logs indexes the fields and
 * `wrangler tail --format json | jq` can filter them. Callers log ids, sizes, durations and outcomes, never
 * secrets, emails or message bodies. Errors are described by name, code and stack frames; their message only
 * when we wrote it (AppError and its kin), because drivers, parsers and providers quote the data they got
 * ("Failed query ... params:", `"abc" is not valid JSON`, an echoed prompt).
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

/** Errors whose messages are ours: written by this codebase, never quoting input. */
const OWN_ERRORS = new Set(["AppError", "DbError", "BrainError", "RecordTimeout", "TypeError", "RangeError"]);

function describeError(error: unknown): Record<string, string | undefined> {
  if (error === undefined) return {};
  if (!(error instanceof Error)) return { errorName: typeof error };
  const own = OWN_ERRORS.has(error.name);
  const code: unknown = Reflect.get(error, "code");
  const cause = error.cause instanceof Error ? error.cause : null;
  const causeCode: unknown = cause ? Reflect.get(cause, "code") : undefined;
  return {
    errorName: error.name,
    ...(typeof code === "string" && code.length <= 64 ? { errorCode: code } : {}),
    ...(own ? { errorMessage: error.message } : {}),
    ...(cause
      ? {
          errorCause: OWN_ERRORS.has(cause.name) ? `${cause.name}: ${cause.message}` : cause.name,
          ...(typeof causeCode === "string" && causeCode.length <= 64 ? { errorCauseCode: causeCode } : {}),
        }
      : {}),
    // Frames only: the first line of a stack repeats the message.
    stack: (error.stack ?? "")
      .split("\n")
      .filter((line) => /^\s+at /.test(line))
      .join("\n"),
  };
}
