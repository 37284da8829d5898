/**
 * Staff accounts for Workers tests, written straight into the test database like `staff:add` does: each call
 * makes a new account with a known password and an API token. Also a console session the way a browser gets
 * one (sign-in form, cookies), for tests of cookie-authenticated routes.
 */
import type { StaffRole } from "../core/contracts/console.ts";
import { sha256Hex } from "../core/ids.ts";
import { hashPassword } from "../core/staff/password.ts";
import { addToken, createStaff } from "../db/staff.ts";
import { call } from "./agent-api.ts";
import { query } from "./remote-controls.ts";

export interface TestStaff {
  id: string;
  email: string;
  name: string;
  password: string;
  token: string;
  bearer: { authorization: string };
}

export async function createTestStaff(name: string, role: StaffRole = "agent"): Promise<TestStaff> {
  const suffix = crypto.randomUUID().slice(0, 8);
  const email = `${name.toLowerCase()}.${suffix}@fernhill.example`;
  const password = `pw-${suffix}-long-enough`;
  const token = `sa_staff_test_${crypto.randomUUID()}`;
  const passwordHash = await hashPassword(password);
  const account = await query((db) => createStaff(db, { email, name, role, passwordHash }));
  await query(async (db) => addToken(db, account.id, await sha256Hex(token)));
  return { id: account.id, email, name, password, token, bearer: { authorization: `Bearer ${token}` } };
}

/** Cookie header value from a response's Set-Cookie lines (name=value pairs only). */
export function cookiesFrom(response: Response, jar: Map<string, string> = new Map()): Map<string, string> {
  for (const line of response.headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    const at = pair.indexOf("=");
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    if (value === "" || /max-age=0/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
  return jar;
}

export const cookieHeader = (jar: Map<string, string>) =>
  [...jar].map(([name, value]) => `${name}=${value}`).join("; ");

/** The value of a hidden `csrf` field (or the csrf-token meta tag) in a console page. */
export function csrfIn(html: string): string {
  return (
    /name="csrf" value="([^"]+)"/.exec(html)?.[1] ??
    /name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ??
    ""
  );
}

/** Signs in through the console's form like a browser; the cookie jar and the page's CSRF token. */
export async function signInAs(staff: TestStaff): Promise<{ jar: Map<string, string>; csrf: string }> {
  const form = await call("/console/sign-in");
  const jar = cookiesFrom(form);
  const body = new URLSearchParams({
    email: staff.email,
    password: staff.password,
    csrf: csrfIn(await form.text()),
  });
  const signedIn = await call("/console/sign-in", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body,
    redirect: "manual",
  });
  if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}`);
  cookiesFrom(signedIn, jar);
  const inbox = await call("/console", { headers: { cookie: cookieHeader(jar) } });
  return { jar, csrf: csrfIn(await inbox.text()) };
}
