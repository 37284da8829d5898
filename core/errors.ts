/**
 * Errors. Codes are `kind:surface` and stable: clients and tests branch on them, never on the message. The kind
 * decides the HTTP status. `apiErrors` is the one list of codes the API answers with (HTTP bodies and the SSE
 * `error` event): routes use only these, README's table is checked against it by a test, and anything else that
 * reaches the HTTP layer is a bug that answers 500. Other codes (what a tool tells the Brain, a queue step's
 * failure) stay internal. Across Durable Object RPC and queues we return Result values instead of throwing,
 * because RPC keeps only an error's name and message.
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

/** What the API answers with: code -> what it means. The status comes from the kind. */
export const apiErrors = {
  "invalid_json:body": "The body is not valid JSON.",
  "invalid_input:<field>": "A field is missing or invalid; the code names it (invalid_input:message, …).",
  "unsupported_media_type:body": "The body is not application/json.",
  "too_large:body": "The body is over 20,000 bytes.",
  "unauthorized:identity": "The sign-in token (X-Identity-Token) could not be verified.",
  "unauthorized:admin": "The admin endpoints need Authorization: Bearer $ADMIN_TOKEN.",
  "unauthorized:staff": "The console needs a staff session or a staff API token.",
  "unauthorized:slack": "A Slack request without a valid v0 signature from the last 5 minutes.",
  "forbidden:origin": "The page's origin is not in ALLOWED_ORIGINS.",
  "forbidden:channel": "This channel is switched off (its rollout switch, or ENABLED_CHANNELS by default).",
  "forbidden:csrf": "A console form was sent without its CSRF token.",
  "forbidden:role": "The staff member's role may not do this.",
  "not_found:thread": "No thread with this id and token (an unknown thread and a wrong token look the same).",
  "not_found:message": "No such reply in this thread.",
  "not_found:conversation": "No such conversation in the console.",
  "not_found:staff": "No such staff member.",
  "not_found:route": "No such endpoint.",
  "not_found:webhook": "No webhook endpoint with this id.",
  "not_found:switch": "No rollout switch of this kind and name.",
  "conflict:thread": "This thread already exists.",
  "conflict:owner": "Another staff member owns this conversation; the message names them.",
  "rate_limited:chat": "Too many messages wait for an answer in this thread; wait for the replies.",
  "rate_limited:new_threads": "Too many new conversations from this client; see Retry-After.",
  "rate_limited:messages": "Too many messages from this client; see Retry-After.",
  "rate_limited:reads": "Too many reads from this client; see Retry-After.",
  "internal:server": "Something failed on the agent's side (never with a stack trace).",
  "internal:thread": "The thread could not be opened.",
  "internal:database_rejected": "The database refused the data.",
  "unavailable:thread": "The conversation could not answer right now; retry with the same client_message_id.",
  "unavailable:database": "The database is not reachable; try again.",
} as const;

/** A code the API may answer with: one of `apiErrors`, with any field name for `invalid_input`. */
export type ApiErrorCode =
  | Exclude<keyof typeof apiErrors, "invalid_input:<field>">
  | `invalid_input:${string}`;

export function isApiErrorCode(code: string): code is ApiErrorCode {
  return code.startsWith("invalid_input:") || code in apiErrors;
}

export function statusOf(code: ErrorCode): number {
  return errorStatus[errorKind(code)];
}

export class AppError extends Error {
  override readonly name: string = "AppError";
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  get status(): number {
    return statusOf(this.code);
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
