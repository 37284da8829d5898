/**
 * Rate limits of the chat API, on the Workers Rate Limiting binding (declared in wrangler.jsonc `ratelimits`,
 * simulated in memory by wrangler dev and the test pool). They run before any Durable Object or model work:
 *
 * | binding               | what it counts                                      | key              |
 * |-----------------------|-----------------------------------------------------|------------------|
 * | RL_THREADS_IP         | conversations opened per client IP                  | IP (IPv6: /64)   |
 * | RL_THREADS_VISITOR    | conversations opened per device or verified sign-in | device, identity |
 * | RL_MESSAGES_IP        | messages (first ones included) per client IP        | IP (IPv6: /64)   |
 * | RL_MESSAGES_VISITOR   | messages per device or verified sign-in             | device, identity |
 * | RL_READS_IP           | thread views, thread lists and ratings per IP       | IP (IPv6: /64)   |
 *
 * The client IP is `CF-Connecting-IP` only (Cloudflare sets it; X-Forwarded-For is whatever the client says).
 * An IPv6 client counts as its /64, the block one customer line gets. The device is the random id the widget
 * keeps in localStorage (`X-Device-Id`): trivially rotated by an attacker, which is why the IP limit backs it.
 * A refused request is 429 `rate_limited:<what>` with Retry-After. RATE_LIMITS=off switches them off, for the
 * benchmark and the answer eval only (they set it); anything else, or nothing, means on.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { Identity } from "../../core/contracts/thread.ts";
import { createLogger } from "../../core/log.ts";
import type { AppEnv } from "../app.ts";
import { errorResponse } from "../http-errors.ts";

type Bucket =
  | "RL_THREADS_IP"
  | "RL_THREADS_VISITOR"
  | "RL_MESSAGES_IP"
  | "RL_MESSAGES_VISITOR"
  | "RL_READS_IP";

/** What a request does, for the limits: open a conversation, add a message, or read. */
export type LimitedAction = "open" | "message" | "read";

/** The period of every limit (the binding allows 10 or 60 s); a refused client waits at most this long. */
export const RETRY_AFTER_SECONDS = 60;

const CODE = {
  open: "rate_limited:new_threads",
  message: "rate_limited:messages",
  read: "rate_limited:reads",
} as const;
const TEXT = {
  open: "Too many new conversations from here. Please wait a minute and try again.",
  message: "You're sending messages faster than we can answer. Please wait a moment and try again.",
  read: "Too many requests from here. Please wait a minute and try again.",
} as const;

/** The client IP as a limit key: IPv4 as is, IPv6 as its /64 prefix, an IPv4-mapped IPv6 as the IPv4. */
export function ipKey(header: string | undefined): string | null {
  const raw = header?.trim() ?? "";
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(raw)) return `ip4:${raw}`;
  if (!raw.includes(":") || !/^[0-9a-fA-F:.]+$/.test(raw)) return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(raw);
  if (mapped) return `ip4:${mapped[1]}`;
  const halves = raw.toLowerCase().split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...Array<string>(missing).fill("0"), ...tail];
  if (!groups.slice(0, 4).every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return `ip6:${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/** The widget's device id, if it is one (random, URL-safe, 16-64 characters); anything else is no device. */
export function deviceKey(header: string | undefined): string | null {
  const raw = header?.trim() ?? "";
  return /^[A-Za-z0-9_-]{16,64}$/.test(raw) ? `device:${raw}` : null;
}

export function rateLimitsOn(env: object): boolean {
  const value: unknown = Reflect.get(env, "RATE_LIMITS");
  return !(typeof value === "string" && value.trim().toLowerCase() === "off");
}

/**
 * Counts the request against every limit that applies, in parallel; a 429 response if any refuses, null if
 * the request may go on. An opening counts as a message too.
 */
export async function checkRateLimits(
  c: Context<AppEnv>,
  action: LimitedAction,
  identity: Identity | null,
): Promise<Response | null> {
  if (!rateLimitsOn(c.env)) return null;
  const ip = ipKey(c.req.header("cf-connecting-ip")) ?? "ip:unknown";
  const visitors = [deviceKey(c.req.header("x-device-id")), identity ? `sub:${identity.sub}` : null].filter(
    (k): k is string => k !== null,
  );
  const checks: [Bucket, string][] =
    action === "read"
      ? [["RL_READS_IP", ip]]
      : [
          ["RL_MESSAGES_IP", ip],
          ...visitors.map((k): [Bucket, string] => ["RL_MESSAGES_VISITOR", k]),
          ...(action === "open"
            ? [
                ["RL_THREADS_IP", ip] as [Bucket, string],
                ...visitors.map((k): [Bucket, string] => ["RL_THREADS_VISITOR", k]),
              ]
            : []),
        ];
  const results = await Promise.all(checks.map(([bucket, key]) => allowed(c.env, bucket, key)));
  const refused = checks.filter((_, i) => !results[i]);
  if (refused.length === 0) return null;
  // The kind of limit a client hit says what to slow down; the log says which key, never the key itself.
  const what = refused.some(([b]) => b.startsWith("RL_THREADS")) ? "open" : action;
  createLogger({ requestId: c.get("requestId") ?? null }, c.var.config.logLevel).warn("ratelimit.refused", {
    action,
    limits: refused.map(([bucket, key]) => `${bucket}:${key.slice(0, key.indexOf(":"))}`),
  });
  const res = errorResponse(c, CODE[what], TEXT[what]);
  res.headers.set("retry-after", String(RETRY_AFTER_SECONDS));
  return res;
}

/** Reads (thread views, lists, ratings) counted per IP; mounted on those routes by agent.ts. */
export function readLimits(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const refused = await checkRateLimits(c, "read", null);
    if (refused) return refused;
    await next();
  };
}

async function allowed(env: Env, bucket: Bucket, key: string): Promise<boolean> {
  const binding: unknown = Reflect.get(env, bucket);
  if (!isRateLimit(binding)) {
    // Declared in wrangler.jsonc, so only a broken deployment gets here: say so, and do not lock everyone out.
    createLogger({}).error("ratelimit.unbound", { bucket });
    return true;
  }
  return (await binding.limit({ key })).success;
}

function isRateLimit(value: unknown): value is RateLimit {
  return typeof value === "object" && value !== null && typeof Reflect.get(value, "limit") === "function";
}
