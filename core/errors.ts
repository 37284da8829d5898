/**
 * Errors inside one process. Codes are `kind:surface` and stable: clients and tests branch on them, never on the
 * message. The HTTP layer maps the kind to a status; across Durable Object RPC and queues we return Result values
 * instead, because RPC keeps only an error's name and message.
 */
export const errorStatus = {
  invalid_input: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  upstream: 502,
  unavailable: 503,
  timeout: 504,
} as const;

export type ErrorKind = keyof typeof errorStatus;
export type ErrorCode = `${ErrorKind}:${string}`;

export class AppError extends Error {
  override readonly name: string = "AppError";
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  get status(): number {
    return errorStatus[errorKind(this.code)];
  }
}

export function errorKind(code: ErrorCode): ErrorKind {
  return code.slice(0, code.indexOf(":")) as ErrorKind;
}

/** A failure that crosses a boundary as data. */
export interface Failure {
  ok: false;
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | Failure;

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string): Failure => ({ ok: false, code, message });
