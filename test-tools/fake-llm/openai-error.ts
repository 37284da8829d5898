// OpenAI's error body shape, so the fake's failures surface in the `openai` SDK as the same APIError
// subclasses (status, type, code) that production code has to handle. Used by server.ts and rules.ts.

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface OpenAiErrorOptions {
  type?: string | undefined;
  code?: string | null | undefined;
  param?: string | null | undefined;
}

// Mirrors what api.openai.com answers for each status, so code that branches on `type`/`code` is exercised.
function defaults(status: number): { type: string; code: string | null } {
  if (status === 401) return { type: "invalid_request_error", code: "invalid_api_key" };
  if (status === 404) return { type: "invalid_request_error", code: "not_found" };
  if (status === 429) return { type: "requests", code: "rate_limit_exceeded" };
  if (status >= 500) return { type: "server_error", code: null };
  return { type: "invalid_request_error", code: null };
}

export function openAiError(
  status: number,
  message: string,
  options: OpenAiErrorOptions = {},
): OpenAiErrorBody {
  const fallback = defaults(status);
  return {
    error: {
      message,
      type: options.type ?? fallback.type,
      param: options.param ?? null,
      code: options.code === undefined ? fallback.code : options.code,
    },
  };
}
