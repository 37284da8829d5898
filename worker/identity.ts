/**
 * Verifies the identity a site vouches for: the WordPress plugin signs a short-lived JWT (HS256, shared
 * secret) for a logged-in visitor, the widget sends it as `X-Identity-Token` when it opens a thread, and the
 * chat route attaches the identity to the thread so get_order can serve that visitor's own orders. Only
 * HS256 is accepted (never "none", never an algorithm the token picks), the signature is checked with Web
 * Crypto before any claim is read, iss and aud must match exactly, and exp/iat allow one minute of clock skew
 * and at most ten minutes of lifetime. Called by worker/routes/agent.ts before the thread is created.
 */
import { z } from "zod";
import { type IdentityConfig, MIN_IDENTITY_SECRET_BYTES } from "../core/config.ts";
import type { Identity } from "../core/contracts/thread.ts";
import { fail, ok, type Result } from "../core/errors.ts";

export const CLOCK_SKEW_SECONDS = 60;
export const MAX_LIFETIME_SECONDS = 600;
const MAX_TOKEN_CHARS = 4096;

const headerSchema = z.object({
  alg: z.literal("HS256"),
  typ: z.literal("JWT").optional(),
  // Critical extensions we do not implement must make the token invalid, not be ignored.
  crit: z.undefined().optional(),
});

const claimsSchema = z.object({
  iss: z.string(),
  aud: z.string(),
  sub: z.string().min(1).max(200),
  email: z
    .string()
    .max(254)
    .regex(/^[^\s@]+@[^\s@]+$/),
  name: z.string().max(200).optional(),
  iat: z.number().int(),
  exp: z.number().int(),
  nbf: z.number().int().optional(),
});

const rejected = (why: string) => fail("unauthorized:identity", `Sign-in token rejected: ${why}.`);

/**
 * The identity in a valid token, or `unauthorized:identity` saying why not.
 * @example await verifyIdentityToken(jwt, { secret, issuer: "https://shop.example", audience: "https://agent.example" })
 */
export async function verifyIdentityToken(
  token: string,
  config: IdentityConfig,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<Result<Identity>> {
  if (new TextEncoder().encode(config.secret).byteLength < MIN_IDENTITY_SECRET_BYTES)
    return rejected("secret too short");
  if (token.length > MAX_TOKEN_CHARS) return rejected("too long");
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) return rejected("malformed");
  const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;

  const header = headerSchema.safeParse(decodeJson(headerPart));
  if (!header.success) return rejected("algorithm or header not accepted");

  const signature = decodeBase64Url(signaturePart);
  if (signature?.byteLength !== 32) return rejected("bad signature");
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(config.secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const signed = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
  if (!signature || !(await crypto.subtle.verify("HMAC", key, signature, signed)))
    return rejected("bad signature");

  const claims = claimsSchema.safeParse(decodeJson(payloadPart));
  if (!claims.success) return rejected("missing or invalid claims");
  const c = claims.data;
  if (c.iss !== config.issuer) return rejected("wrong issuer");
  if (c.aud !== config.audience) return rejected("wrong audience");
  if (nowSeconds >= c.exp + CLOCK_SKEW_SECONDS) return rejected("expired");
  if (c.iat > nowSeconds + CLOCK_SKEW_SECONDS) return rejected("issued in the future");
  if (c.nbf !== undefined && c.nbf > nowSeconds + CLOCK_SKEW_SECONDS) return rejected("not yet valid");
  if (
    c.exp - c.iat > MAX_LIFETIME_SECONDS ||
    c.exp > nowSeconds + MAX_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS
  ) {
    return rejected("lifetime over 10 minutes");
  }
  return ok({ sub: c.sub, email: c.email, ...(c.name ? { name: c.name } : {}) });
}

/**
 * The identity for a request that opens a thread: none without a token; a token the agent cannot verify
 * (bad, expired, or sign-in not configured) is `unauthorized:identity`, answered 401 before any model call.
 */
export async function identityFromRequest(
  header: string | undefined,
  config: IdentityConfig | null,
): Promise<Result<Identity | null>> {
  const token = header?.trim();
  if (!token) return ok(null);
  // Off, or misconfigured (a problem /readyz names): no token is accepted.
  if (!config) return rejected("this agent does not accept sign-in tokens");
  return verifyIdentityToken(token, config);
}

function decodeBase64Url(part: string): Uint8Array<ArrayBuffer> | null {
  try {
    const binary = atob(part.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

function decodeJson(part: string): unknown {
  const bytes = decodeBase64Url(part);
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    return undefined;
  }
}
