/** @jsxImportSource hono/jsx */
/**
 * The staff console at /console: sign-in and sign-out, the inbox, a conversation, and the admin-only staff
 * page, server-rendered with Hono's JSX. Pages work as plain HTML forms; /console/assets/console.js makes them
 * live. Every response forbids framing and caching and allows scripts and styles from this origin only.
 */
import { type Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { closeReasonSchema, inboxQuerySchema, staffMessageBodySchema } from "../../core/contracts/console.ts";
import { parseId } from "../../core/contracts/ids.ts";
import { metricsQuerySchema } from "../../core/contracts/metrics.ts";
import { AppError } from "../../core/errors.ts";
import { newSecretToken, sha256Hex } from "../../core/ids.ts";
import { staffSettings } from "../../core/staff/staff-config.ts";
import { inbox, transcript } from "../../db/console.ts";
import { latestEvalRun } from "../../db/eval-runs.ts";
import { overviewMetrics } from "../../db/metrics.ts";
import { endSession, listStaff, revokeCredentials, staffById } from "../../db/staff.ts";
import { CONSOLE_JS } from "../console/console-script.ts";
import { ConversationPage } from "../console/pages/conversation.tsx";
import { InboxPage, InboxTable } from "../console/pages/inbox.tsx";
import { OverviewPage } from "../console/pages/overview.tsx";
import { SignInPage } from "../console/pages/sign-in.tsx";
import { StaffPage } from "../console/pages/staff.tsx";
import { signIn } from "../console/sign-in.ts";
import { type ActionRequest, runStaffAction } from "../console/staff-actions.ts";
import {
  type ConsoleEnv,
  consoleDb,
  cookieOptions,
  csrfFor,
  PRESESSION_COOKIE,
  requireRole,
  requireStaff,
  SESSION_COOKIE,
  startSession,
} from "../console/staff-auth.ts";
import { CONSOLE_CSS } from "../console/styles.ts";
import { consoleKnowledgeEvalsRoutes } from "./console-knowledge-evals.tsx";
import { consoleOpsRoutes } from "./console-ops.tsx";

const FORM_MAX_BYTES = 8_192;

const signInFormSchema = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(200),
  csrf: z.string().max(100),
  next: z.string().max(500).optional(),
});

const shopName = (c: Context<ConsoleEnv>) => c.var.config.shop.name;

const ACTION_NOTICE = {
  takeover: "You have taken over this conversation. The bot stays quiet until you release it.",
  release: "Released to the bot.",
  close: "Closed.",
  message: "Sent.",
} as const;

/** The conversation page's forms: one action, then back to the page with what happened (or why not). */
async function formAction(c: Context<ConsoleEnv>, kind: ActionRequest["kind"]): Promise<Response> {
  const form = await readForm(c);
  const back = (notice: string) =>
    c.redirect(
      `/console/conversations/${encodeURIComponent(c.req.param("id") ?? "")}?notice=${encodeURIComponent(notice)}`,
      303,
    );
  let request: ActionRequest;
  if (kind === "message") {
    const body = staffMessageBodySchema.safeParse({
      content: form.content ?? "",
      internal: form.internal === "true",
    });
    if (!body.success) return back("Write a message first (at most 4,000 characters).");
    request = { kind, content: body.data.content, internal: body.data.internal === true };
  } else if (kind === "close") {
    request = { kind, reason: closeReasonSchema.catch("resolved").parse(form.reason) };
  } else request = { kind };
  try {
    await runStaffAction(c, request);
  } catch (error) {
    if (error instanceof AppError && error.code === "conflict:owner") return back(error.message);
    throw error;
  }
  return back(
    kind === "message" && request.kind === "message" && request.internal
      ? "Note added."
      : ACTION_NOTICE[kind],
  );
}

/** Only paths inside the console: `next=https://evil.example` or `//evil.example` goes to the inbox. */
function safeNext(next: string | undefined): string {
  return next && /^\/console(\/[\w\-/?=&%.]*)?$/.test(next) ? next : "/console";
}

async function readForm(c: Context<ConsoleEnv>): Promise<Record<string, string>> {
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded")) {
    throw new AppError("unsupported_media_type:body", "Send the form as application/x-www-form-urlencoded.");
  }
  if (Number(c.req.header("content-length") ?? "0") > FORM_MAX_BYTES) {
    throw new AppError("too_large:body", "The form is too large.");
  }
  const body = await c.req.parseBody();
  return Object.fromEntries(
    Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}

/** The sign-in form's CSRF token, bound to a short-lived cookie of this browser. */
async function presession(c: Context<ConsoleEnv>): Promise<string> {
  let secret = getCookie(c, PRESESSION_COOKIE);
  if (!secret) {
    secret = newSecretToken();
    setCookie(c, PRESESSION_COOKIE, secret, cookieOptions(3600));
  }
  return csrfFor(secret);
}

export const consoleRoutes = new Hono<ConsoleEnv>()
  .use(async (c, next) => {
    await next();
    c.header(
      "content-security-policy",
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    c.header("x-frame-options", "DENY");
    c.header("referrer-policy", "same-origin");
    c.header("x-content-type-options", "nosniff");
    if (!c.res.headers.has("cache-control")) c.header("cache-control", "no-store");
  })
  .get("/assets/console.css", (c) =>
    c.body(CONSOLE_CSS, 200, {
      "content-type": "text/css; charset=utf-8",
      "cache-control": "public, max-age=300",
    }),
  )
  .get("/assets/console.js", (c) =>
    c.body(CONSOLE_JS, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=300",
    }),
  )
  .use(consoleDb)
  .get("/sign-in", async (c) => {
    const csrf = await presession(c);
    const access = staffSettings(c.env).access !== null;
    return c.html(
      <SignInPage shop={shopName(c)} csrf={csrf} next={safeNext(c.req.query("next"))} access={access} />,
    );
  })
  .post("/sign-in", async (c) => {
    const form = signInFormSchema.safeParse(await readForm(c));
    const secret = getCookie(c, PRESESSION_COOKIE);
    const expected = secret ? await csrfFor(secret) : null;
    const shop = shopName(c);
    const access = staffSettings(c.env).access !== null;
    const again = async (error: string, status: 400 | 401 | 403 | 429) => {
      const csrf = await presession(c);
      const email = form.success ? form.data.email : "";
      const next = safeNext(form.success ? form.data.next : undefined);
      return c.html(
        <SignInPage shop={shop} csrf={csrf} next={next} error={error} email={email} access={access} />,
        status,
      );
    };
    if (!form.success) return again("Enter your email and password.", 400);
    if (!expected || form.data.csrf !== expected)
      return again("The form had expired. Please sign in again.", 403);
    const client = c.req.header("cf-connecting-ip") ?? "local";
    const result = await signIn(c.var.db.get(), {
      email: form.data.email,
      password: form.data.password,
      client,
    });
    if (!result.ok) {
      return result.reason === "rate_limited"
        ? again("Too many failed sign-ins. Wait 15 minutes and try again.", 429)
        : again("Email or password is wrong.", 401);
    }
    await startSession(c, result.account);
    return c.redirect(safeNext(form.data.next), 303);
  })
  .post("/sign-out", requireStaff({ html: true }), async (c) => {
    const secret = getCookie(c, SESSION_COOKIE);
    if (secret) await endSession(c.var.db.get(), await sha256Hex(secret));
    setCookie(c, SESSION_COOKIE, "", cookieOptions(0));
    return c.redirect("/console/sign-in", 303);
  })
  .use(requireStaff({ html: true }))
  .get("/", async (c) => {
    const parsed = inboxQuerySchema.safeParse(
      Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== "")),
    );
    const query = parsed.success ? parsed.data : inboxQuerySchema.parse({});
    const list = await inbox(c.var.db.get(), query, c.var.staff.id);
    const now = Date.now();
    // The live script asks for the table alone when the inbox changes.
    if (c.req.query("fragment") === "rows")
      return c.html(<InboxTable inbox={list} now={now} staffId={c.var.staff.id} />);
    return c.html(
      <InboxPage
        shop={shopName(c)}
        staff={c.var.staff}
        csrf={c.var.csrf}
        query={query}
        inbox={list}
        now={now}
      />,
    );
  })
  .get("/conversations/:id", async (c) => {
    const id = parseId(c.req.param("id"));
    const found = id ? await transcript(c.var.db.get(), id) : null;
    if (!found) throw new AppError("not_found:conversation", "No conversation with this id.");
    const notice = c.req.query("notice");
    return c.html(
      <ConversationPage
        shop={shopName(c)}
        staff={c.var.staff}
        csrf={c.var.csrf}
        transcript={found}
        now={Date.now()}
        notice={notice ? notice.slice(0, 200) : undefined}
      />,
    );
  })
  .post("/conversations/:id/takeover", (c) => formAction(c, "takeover"))
  .post("/conversations/:id/release", (c) => formAction(c, "release"))
  .post("/conversations/:id/close", (c) => formAction(c, "close"))
  .post("/conversations/:id/messages", (c) => formAction(c, "message"))
  .get("/overview", requireRole("admin"), async (c) => {
    const query = metricsQuerySchema.safeParse({ window: c.req.query("window") });
    if (!query.success) throw new AppError("invalid_input:window", "Invalid window: it is 24h, 7d or 30d.");
    const [metrics, latestEval] = await Promise.all([
      overviewMetrics(c.var.db.get(), query.data.window),
      latestEvalRun(c.var.db.get()),
    ]);
    return c.html(
      <OverviewPage
        shop={shopName(c)}
        staff={c.var.staff}
        csrf={c.var.csrf}
        metrics={metrics}
        regressedEval={latestEval && latestEval.regressions.length > 0 ? latestEval : null}
      />,
    );
  })
  .get("/staff", requireRole("admin"), async (c) => {
    const accounts = await listStaff(c.var.db.get());
    const notice = c.req.query("notice")?.slice(0, 200);
    return c.html(
      <StaffPage
        shop={shopName(c)}
        staff={c.var.staff}
        csrf={c.var.csrf}
        accounts={accounts}
        notice={notice}
      />,
    );
  })
  .post("/staff/:id/revoke", requireRole("admin"), async (c) => {
    const id = parseId(c.req.param("id"));
    const account = id ? await staffById(c.var.db.get(), id) : null;
    if (!account) throw new AppError("not_found:staff", "No staff member with this id.");
    const revoked = await revokeCredentials(c.var.db.get(), account.id);
    const notice = `Revoked ${revoked.tokens} token(s) and ${revoked.sessions} session(s) of ${account.name}.`;
    return c.redirect(`/console/staff?notice=${encodeURIComponent(notice)}`, 303);
  })
  .route("/", consoleKnowledgeEvalsRoutes)
  .route("/", consoleOpsRoutes);
