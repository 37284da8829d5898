/**
 * The API rules the widget relies on, checked over HTTP against the same running agent: other origins are
 * refused (and, on the private stack whose settings run.ts knows, the configured origin's preflight passes),
 * and sign-in tokens: forged, expired, wrong-audience and alg=none ones get 401 `unauthorized:identity`,
 * while a valid one lets the visitor see their own order without giving the email. Tokens come from
 * identity-token.ts. Used by run.ts.
 */
import type { createRunner } from "./harness.ts";
import { assert } from "./harness.ts";
import { hs256, identityClaims, identityToken, jwtPart } from "./identity-token.ts";
import { E2E_ALLOWED_ORIGIN, E2E_IDENTITY, type Stack } from "./stack.ts";

async function errorCode(res: Response): Promise<string> {
  const body: unknown = await res.json().catch(() => null);
  if (
    typeof body === "object" &&
    body &&
    "error" in body &&
    typeof body.error === "object" &&
    body.error &&
    "code" in body.error
  ) {
    return String(body.error.code);
  }
  return `(status ${res.status}, no error code)`;
}

export async function checkApiRules(runner: ReturnType<typeof createRunner>, stack: Stack): Promise<void> {
  const messages = `${stack.baseUrl}/api/agent/messages`;
  const post = (headers: Record<string, string>, message = "Hello") =>
    fetch(messages, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ message }),
    });

  await runner.step("CORS: another origin gets 403 forbidden:origin", async () => {
    const preflight = await fetch(messages, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    assert(preflight.status === 403, `preflight answered ${preflight.status}`);
    assert((await errorCode(preflight)) === "forbidden:origin", "preflight error code");
    const direct = await post({ origin: "https://evil.example" });
    assert(
      direct.status === 403 && (await errorCode(direct)) === "forbidden:origin",
      `POST answered ${direct.status}`,
    );
    return undefined;
  });

  if (!stack.own) return;

  await runner.step("CORS: the configured origin passes its preflight", async () => {
    const res = await fetch(messages, {
      method: "OPTIONS",
      headers: {
        origin: E2E_ALLOWED_ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, authorization",
      },
    });
    assert(res.status === 204, `preflight answered ${res.status}`);
    assert(res.headers.get("access-control-allow-origin") === E2E_ALLOWED_ORIGIN, "no allow-origin header");
    return undefined;
  });

  await runner.step("identity: bad tokens get 401 unauthorized:identity", async () => {
    const now = Math.floor(Date.now() / 1000);
    const bad = {
      forged: await hs256(
        { alg: "HS256", typ: "JWT" },
        identityClaims(),
        "another-secret-that-is-also-long-enough-0123",
      ),
      expired: await hs256(
        { alg: "HS256", typ: "JWT" },
        identityClaims({ iat: now - 900, exp: now - 600 }),
        E2E_IDENTITY.secret,
      ),
      "wrong audience": await hs256(
        { alg: "HS256", typ: "JWT" },
        identityClaims({ aud: "https://elsewhere.example" }),
        E2E_IDENTITY.secret,
      ),
      "alg none": `${jwtPart({ alg: "none", typ: "JWT" })}.${jwtPart(identityClaims())}.`,
    };
    const outcomes: string[] = [];
    for (const [name, token] of Object.entries(bad)) {
      const res = await post({ "x-identity-token": token });
      const code = await errorCode(res);
      outcomes.push(`${name}: ${res.status} ${code}`);
    }
    assert(
      outcomes.every((o) => o.includes("401 unauthorized:identity")),
      outcomes.join("; "),
    );
    return outcomes.join("; ");
  });

  await runner.step(
    "identity: a signed-in visitor sees their own order without giving the email",
    async () => {
      const token = await identityToken();
      const res = await post({ "x-identity-token": token }, "What's the status of order FH-100231?");
      if (res.status !== 201) throw new Error(`answered ${res.status} ${await errorCode(res)}`);
      const body: unknown = await res.json();
      const content =
        typeof body === "object" &&
        body &&
        "message" in body &&
        typeof body.message === "object" &&
        body.message &&
        "content" in body.message
          ? String(body.message.content)
          : "";
      assert(/shipped/i.test(content), `reply: "${content.slice(0, 300)}"`);
      return content.slice(0, 120);
    },
  );
}
