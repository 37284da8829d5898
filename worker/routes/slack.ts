/**
 * Slack's way in: `POST /slack/events` (Events API) and `POST /slack/interactivity` (the handoff message's
 * buttons). Every request is checked first: the v0 signature with the app's signing secret, in constant time,
 * within 5 minutes; a bad or stale one gets 401 and nothing else happens. Slack wants an answer within 3 s,
 * so the route acknowledges at once and the work runs after the response (waitUntil); a delivery Slack retries
 * (X-Slack-Retry-Num) or anyone replays is recognised by its event id and does nothing twice. A staff reply in
 * a conversation's Slack thread reaches the visitor as that person's message; the buttons take the
 * conversation over, release or close it as the staff member whose Slack user it is.
 */
import { type Context, Hono } from "hono";
import { parseId } from "../../core/contracts/ids.ts";
import {
  type SlackEventEnvelope,
  slackActionIdSchema,
  slackEventEnvelopeSchema,
  slackInteractionSchema,
} from "../../core/contracts/slack.ts";
import { AppError } from "../../core/errors.ts";
import type { StaffAction } from "../../core/handoff/ownership.ts";
import { createLogger } from "../../core/log.ts";
import { verifySlackSignature } from "../../core/slack/signature.ts";
import { staffSettings } from "../../core/staff/staff-config.ts";
import { lazyDb } from "../../db/client.ts";
import { conversationOfSlackThread, firstDelivery } from "../../db/slack.ts";
import { staffBySlackUser } from "../../db/staff.ts";
import type { AppEnv } from "../app.ts";
import { readLimited } from "../middleware/json-body.ts";
import { requireChannel } from "../rollout.ts";

const SLACK_BODY_MAX_BYTES = 64 * 1024;

/**
 * The raw body, once its signature is Slack's; 401 otherwise (or 404 while Slack is not set up), and 403
 * forbidden:channel while the Slack channel is switched off.
 */
async function signedBody(c: Context<AppEnv>): Promise<string> {
  const slack = staffSettings(c.env).slack;
  if (!slack) throw new AppError("not_found:route", "Slack is not set up for this agent.");
  const bytes = await readLimited(c.req.raw.body, SLACK_BODY_MAX_BYTES);
  const body = new TextDecoder().decode(bytes);
  const verified = await verifySlackSignature({
    secret: slack.signingSecret,
    timestamp: c.req.header("x-slack-request-timestamp"),
    signature: c.req.header("x-slack-signature"),
    body,
    nowSeconds: Math.floor(Date.now() / 1000),
  });
  if (!verified) throw new AppError("unauthorized:slack", "The Slack signature is missing, wrong or stale.");
  await requireChannel(c, "slack");
  return body;
}

/** Runs after the acknowledgement, with its own database connection; failures are logged, never thrown. */
function later(c: Context<AppEnv>, event: string, work: (db: ReturnType<typeof lazyDb>) => Promise<void>) {
  const db = lazyDb(c.env.HYPERDRIVE.connectionString);
  const log = createLogger({ requestId: c.get("requestId") ?? null }, c.var.config.logLevel);
  c.executionCtx.waitUntil(
    work(db)
      .catch((error: unknown) => log.error(`${event}.failed`, { error }))
      .finally(() => db.close()),
  );
}

async function actAs(
  env: Env,
  db: ReturnType<typeof lazyDb>,
  slackUser: string,
  threadId: string,
  action: (staff: { id: string; name: string }) => StaffAction,
): Promise<string> {
  const account = await staffBySlackUser(db.get(), slackUser);
  if (!account || account.disabled) return "unknown_staff";
  const result = await env.THREAD.getByName(threadId).staffAction(
    action({ id: account.id, name: account.name }),
  );
  return result.ok ? "done" : result.code;
}

async function handleEvent(env: Env, db: ReturnType<typeof lazyDb>, envelope: SlackEventEnvelope) {
  if (envelope.type !== "event_callback") return "ignored";
  if (!(await firstDelivery(db.get(), envelope.event_id))) return "duplicate";
  const e = envelope.event;
  // Only people's replies inside a conversation's thread; the agent's own posts come back as bot messages.
  if (
    e.type !== "message" ||
    e.subtype ||
    e.bot_id ||
    !e.user ||
    !e.channel ||
    !e.thread_ts ||
    !e.text?.trim()
  )
    return "ignored";
  const threadId = await conversationOfSlackThread(db.get(), e.channel, e.thread_ts);
  if (!threadId) return "no_conversation";
  const content = e.text.trim().slice(0, 4000);
  return actAs(env, db, e.user, threadId, (staff) => ({ kind: "message", staff, content, internal: false }));
}

export const slackRoutes = new Hono<AppEnv>()
  .post("/events", async (c) => {
    const body = await signedBody(c);
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch {
      throw new AppError("invalid_json:body", "The body is not valid JSON.");
    }
    const envelope = slackEventEnvelopeSchema.safeParse(raw);
    // Event types the agent does not read are acknowledged, so Slack does not retry them.
    if (!envelope.success) return c.body(null, 200);
    if (envelope.data.type === "url_verification") return c.json({ challenge: envelope.data.challenge });
    const parsed = envelope.data;
    later(c, "slack.event", async (db) => {
      const outcome = await handleEvent(c.env, db, parsed);
      createLogger({ requestId: c.get("requestId") ?? null }).info("slack.event", {
        eventId: parsed.event_id,
        retry: c.req.header("x-slack-retry-num") ?? null,
        outcome,
      });
    });
    return c.body(null, 200);
  })
  .post("/interactivity", async (c) => {
    const body = await signedBody(c);
    const payload = new URLSearchParams(body).get("payload");
    let raw: unknown = null;
    try {
      raw = payload ? JSON.parse(payload) : null;
    } catch {
      raw = null;
    }
    const interaction = slackInteractionSchema.safeParse(raw);
    if (!interaction.success) return c.body(null, 200);
    const [action] = interaction.data.actions;
    const kind = slackActionIdSchema.safeParse(action?.action_id);
    const threadId = parseId(action?.value ?? "");
    if (!kind.success || !threadId) return c.body(null, 200);
    const user = interaction.data.user.id;
    later(c, "slack.action", async (db) => {
      const outcome = await actAs(c.env, db, user, threadId, (staff) =>
        kind.data === "close"
          ? { kind: "close", staff, reason: "resolved" }
          : kind.data === "release"
            ? { kind: "release", staff }
            : { kind: "takeover", staff },
      );
      createLogger({ requestId: c.get("requestId") ?? null }).info("slack.action", {
        action: kind.data,
        threadId,
        outcome,
      });
    });
    return c.body(null, 200);
  });
