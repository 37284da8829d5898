/**
 * Verifies the identity a site vouches for: the WordPress plugin signs a short-lived JWT (HS256, shared
 * secret) for a logged-in visitor, the widget sends it as `X-Identity-Token`, and the chat route attaches the
 * identity to the thread so get_order can serve that visitor's own orders. Verification is `jose`'s: only
 * HS256 (never "none", never an algorithm the token picks), the signature before any claim, unknown critical
 * headers refused. On top of it: iss and aud exactly (a list for aud is refused), iat and exp required with
 * CLOCK_SKEW_SECONDS of tolerance, at most ten minutes of lifetime, and claims that are plain text.
 *
 * A refused token gets one neutral text; why it was refused is a `reason` for the log only, so the answer
 * tells an attacker nothing about which check failed. Called by worker/routes/agent.ts before any thread work.
 */
import { errors, jwtVerify } from "jose";
import { z } from "zod";
import { type IdentityConfig, MIN_IDENTITY_SECRET_BYTES } from "../core/config.ts";
import { strictString } from "../core/contracts/text.ts";
import type { Identity } from "../core/contracts/thread.ts";
import { fail, ok, type Result } from "../core/errors.ts";

/** Tolerated clock difference between the site and the agent; enough for NTP-synchronised servers. */
export const CLOCK_SKEW_SECONDS = 5;
export const MAX_LIFETIME_SECONDS = 600;
const MAX_TOKEN_CHARS = 4096;

/** What every visitor with a refused sign-in token reads, whichever check failed. */
export const IDENTITY_REJECTED = "Your sign-in could not be verified. Reload the page and try again.";

/** Why a token was refused: for the log (`identity.rejected`), never for the visitor. */
export type RejectReason =
  | "malformed"
  | "algorithm"
  | "header"
  | "bad_signature"
  | "claims"
  | "issuer"
  | "audience"
  | "expired"
  | "not_yet_valid"
  | "lifetime"
  | "secret_too_short"
  | "not_configured";

export type IdentityCheck = { ok: true; value: Identity } | { ok: false; reason: RejectReason };

const claimsSchema = z.object({
  iss: z.string(),
  aud: z.string(),
  sub: strictString().pipe(z.string().min(1).max(200)),
  email: strictString().pipe(
    z
      .string()
      .max(254)
      .regex(/^[^\s@]+@[^\s@]+$/),
  ),
  name: strictString().pipe(z.string().max(200)).optional(),
  iat: z.number().int(),
  exp: z.number().int(),
  nbf: z.number().int().optional(),
});

/**
 * The identity in a valid token, or the reason it is refused.
 * @example await verifyIdentityToken(jwt, { secret, issuer: "https://shop.example", audience: "https://agent.example" })
 */
export async function verifyIdentityToken(
  token: string,
  config: IdentityConfig,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<IdentityCheck> {
  const refuse = (reason: RejectReason): IdentityCheck => ({ ok: false, reason });
  const secret = new TextEncoder().encode(config.secret);
  if (secret.byteLength < MIN_IDENTITY_SECRET_BYTES) return refuse("secret_too_short");
  if (token.length > MAX_TOKEN_CHARS || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return refuse("malformed");
  let payload: unknown;
  try {
    const verified = await jwtVerify(token, secret, {
      algorithms: ["HS256"],
      issuer: config.issuer,
      audience: config.audience,
      requiredClaims: ["iat", "exp", "sub"],
      maxTokenAge: MAX_LIFETIME_SECONDS,
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: new Date(nowSeconds * 1000),
    });
    // A typ other than JWT names another kind of token (an access token, a logout token).
    const typ = verified.protectedHeader.typ;
    if (typ !== undefined && typ !== "JWT") return refuse("header");
    payload = verified.payload;
  } catch (error) {
    return refuse(reasonOf(error));
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) return refuse(claims.error.issues[0]?.path[0] === "aud" ? "audience" : "claims");
  const c = claims.data;
  // jose checks iat's age; the token's own lifetime and how far its exp reaches are ours to bound.
  if (c.iat > nowSeconds + CLOCK_SKEW_SECONDS) return refuse("not_yet_valid");
  if (c.exp - c.iat > MAX_LIFETIME_SECONDS || c.exp > nowSeconds + MAX_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS)
    return refuse("lifetime");
  return { ok: true, value: { sub: c.sub, email: c.email, ...(c.name ? { name: c.name } : {}) } };
}

function reasonOf(error: unknown): RejectReason {
  if (error instanceof errors.JOSEAlgNotAllowed) return "algorithm";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "bad_signature";
  if (error instanceof errors.JWTExpired) return error.claim === "iat" ? "lifetime" : "expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return "issuer";
    if (error.claim === "aud") return "audience";
    if (error.claim === "nbf" || error.claim === "iat") return "not_yet_valid";
    return "claims";
  }
  if (error instanceof errors.JOSENotSupported || error instanceof errors.JWSInvalid) return "header";
  return "malformed";
}

/**
 * The identity for a request: none without a token; a token the agent cannot verify (bad, expired, or sign-in
 * off or misconfigured, which the config loader reports) is `unauthorized:identity` with the neutral text,
 * and its reason for the log.
 */
export async function identityFromRequest(
  header: string | undefined,
  config: IdentityConfig | null,
): Promise<Result<Identity | null> & { reason?: RejectReason }> {
  const token = header?.trim();
  if (!token) return ok(null);
  const check: IdentityCheck = config
    ? await verifyIdentityToken(token, config)
    : { ok: false, reason: "not_configured" };
  if (check.ok) return ok(check.value);
  return { ...fail("unauthorized:identity", IDENTITY_REJECTED), reason: check.reason };
}
