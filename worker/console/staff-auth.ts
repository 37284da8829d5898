/**
 * Who is asking, for every console page and `/api/console/*` request: a staff API token
 * (`Authorization: Bearer`), or the console session cookie (HttpOnly, Secure, SameSite=Strict), which a
 * password sign-in or a verified Cloudflare Access JWT opens. Requests that change something with the cookie
 * must carry the session's CSRF token (form field `csrf` or header `X-CSRF-Token`); bearer requests need none,
 * since browsers never add that header by themselves. `requireRole("admin")` gates ops pages.
 */
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { StaffMember, StaffRole } from "../../core/contracts/console.ts";
import { AppError } from "../../core/errors.ts";
import { newSecretToken, sha256Hex, timingSafeEqual } from "../../core/ids.ts";
import { staffSettings } from "../../core/staff/staff-config.ts";
import { lazyDb } from "../../db/client.ts";
import {
  createSession,
  type StaffAccount,
  staffByEmail,
  staffBySession,
  staffByToken,
  toMember,
} from "../../db/staff.ts";
import type { AppEnv } from "../app.ts";
import { bearerToken } from "../bearer.ts";
import { verifyAccessJwt } from "./access.ts";

export const SESSION_COOKIE = "__Host-console_session";
/** Before sign-in: binds the sign-in form's CSRF token to this browser. */
export const PRESESSION_COOKIE = "__Host-console_presession";
const SESSION_HOURS = 12;

export type ConsoleEnv = {
  Bindings: Env;
  Variables: AppEnv["Variables"] & {
    db: ReturnType<typeof lazyDb>;
    staff: StaffMember;
    /** The CSRF token for forms and script requests; null for bearer-token requests. */
    csrf: string | null;
  };
};

/** The CSRF token that belongs to a cookie's secret value: derived, so nothing more is stored. */
export async function csrfFor(secret: string): Promise<string> {
  return (await sha256Hex(`csrf:${secret}`)).slice(0, 40);
}

export const cookieOptions = (maxAgeSeconds: number) =>
  ({ httpOnly: true, secure: true, sameSite: "Strict", path: "/", maxAge: maxAgeSeconds }) as const;

/** Opens the request's database (closed after the response) for the console's handlers. */
export const consoleDb: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  const db = lazyDb(c.env.HYPERDRIVE.connectionString);
  c.set("db", db);
  try {
    await next();
  } finally {
    c.executionCtx.waitUntil(db.close());
  }
};

/** Starts a console session for a staff member: the cookie carries the secret, the table its hash. */
export async function startSession(c: Context<ConsoleEnv>, account: StaffAccount): Promise<string> {
  const secret = newSecretToken();
  await createSession(
    c.var.db.get(),
    await sha256Hex(secret),
    account.id,
    new Date(Date.now() + SESSION_HOURS * 3_600_000),
  );
  setCookie(c, SESSION_COOKIE, secret, cookieOptions(SESSION_HOURS * 3600));
  deleteCookie(c, PRESESSION_COOKIE, { path: "/", secure: true });
  return csrfFor(secret);
}

type Outcome = { staff: StaffAccount; csrf: string | null } | null;

/** Who the request's credentials belong to, if anyone; also used by the admin API's gate. */
export async function identifyStaff(c: Context<ConsoleEnv>): Promise<Outcome> {
  const db = c.var.db;
  const token = bearerToken(c.req.header("authorization"));
  if (token) {
    const account = await staffByToken(db.get(), await sha256Hex(token));
    return account ? { staff: account, csrf: null } : null;
  }
  const access = staffSettings(c.env).access;
  let accessEmail: string | null = null;
  if (access) {
    // Behind Access every console request carries the assertion; without a valid one nothing opens.
    const assertion = c.req.header("cf-access-jwt-assertion");
    const verified = assertion ? await verifyAccessJwt(assertion, access) : null;
    if (!verified?.ok) return null;
    accessEmail = verified.email.toLowerCase();
  }
  const secret = getCookie(c, SESSION_COOKIE);
  if (secret) {
    const account = await staffBySession(db.get(), await sha256Hex(secret));
    if (account && (!accessEmail || account.email.toLowerCase() === accessEmail)) {
      return { staff: account, csrf: await csrfFor(secret) };
    }
  }
  if (accessEmail) {
    const account = await staffByEmail(db.get(), accessEmail);
    if (!account || account.disabled) return null;
    return { staff: account, csrf: await startSession(c, account) };
  }
  return null;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Lets staff through and sets `staff` and `csrf`. Pages (`html: true`) send strangers to the sign-in page;
 * the API answers 401 `unauthorized:staff`. A cookie request that changes something without the right CSRF
 * token is 403 `forbidden:csrf`.
 */
export function requireStaff(options: { html: boolean }): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const who = await identifyStaff(c);
    if (!who) {
      if (options.html) {
        const next = new URL(c.req.url).pathname;
        return c.redirect(`/console/sign-in?next=${encodeURIComponent(next)}`, 303);
      }
      throw new AppError("unauthorized:staff", "Sign in to the console or send a staff API token.");
    }
    if (who.csrf && UNSAFE.has(c.req.method)) {
      const given = c.req.header("x-csrf-token") ?? (await formField(c, "csrf"));
      if (!given || !timingSafeEqual(given, who.csrf)) {
        throw new AppError("forbidden:csrf", "This form has expired. Reload the page and try again.");
      }
    }
    c.set("staff", toMember(who.staff));
    c.set("csrf", who.csrf);
    await next();
  };
}

/** Only staff with this role (admins pass every gate). */
export function requireRole(role: StaffRole): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const mine = c.var.staff.role;
    if (role === "admin" && mine !== "admin") {
      throw new AppError("forbidden:role", "This page is for console admins.");
    }
    await next();
  };
}

/** A field of a url-encoded form body (Hono caches the parsed body, so handlers can read it again). */
async function formField(c: Context, name: string): Promise<string | null> {
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data"))
    return null;
  const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const value = body[name];
  return typeof value === "string" ? value : null;
}
