/**
 * Identifiers. Thread ids and tokens are unguessable (random, from the platform's CSPRNG); references that
 * people read aloud (ticket numbers) are derived from the call id so a redelivered step names the same ticket.
 */
const REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

export function newId(): string {
  return crypto.randomUUID();
}

/** 256 random bits, base64url: shown once to the client, stored only as a hash. */
export function newSecretToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return base64url(bytes);
}

const toHex = (bytes: ArrayBuffer | Uint8Array) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** HMAC-SHA256 of `message` under `secret` (both UTF-8), as raw bytes: Slack's and JWT signatures use it. */
export async function hmacSha256(secret: string, message: string): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
}

export const hmacSha256Hex = async (secret: string, message: string): Promise<string> =>
  toHex(await hmacSha256(secret, message));

/** A short, readable, deterministic reference such as `FH-7K3M9Q2A` for a tool call. */
export async function callReference(callId: string, prefix = "FH"): Promise<string> {
  const hex = await sha256Hex(callId);
  let out = "";
  for (let i = 0; i < 8; i++) {
    out += REFERENCE_ALPHABET[Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16) % REFERENCE_ALPHABET.length];
  }
  return `${prefix}-${out}`;
}

/** Compares two strings in time that depends only on their length. */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
