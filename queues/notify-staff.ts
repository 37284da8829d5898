/**
 * Tells staff that a conversation needs a person: a thread in the support channel when the Slack app is set up
 * (below), else a Slack incoming webhook when one is configured; neither while the Slack channel is switched
 * off (its rollout switch).
 * Without one, the handoff still lands in the handoffs table and the log for the dashboard. The reason is the
 * Brain's words, so it goes out inert (core/guardrails/slack-text.ts: no mentions, no links); the message
 * itself is ours: the channel and the thread id.
 */
import { type AppConfig, loadConfig } from "../core/config.ts";
import type { Channel } from "../core/contracts/thread.ts";
import { inertSlackText } from "../core/guardrails/slack-text.ts";
import { createLogger, type Logger } from "../core/log.ts";
import { handoffSlackMessage, postSlackMessage, type SlackApp } from "../core/slack/web-api.ts";
import { staffSettings } from "../core/staff/staff-config.ts";
import { lazyDb } from "../db/client.ts";
import { channelOn } from "../db/rollout.ts";
import { saveSlackThread, slackThreadOf } from "../db/slack.ts";

export async function notifyStaff(
  env: Env,
  handoff: { threadId: string; reason: string; channel: Channel },
): Promise<void> {
  const { config } = loadConfig(env);
  const log = createLogger({ threadId: handoff.threadId }, config.logLevel);
  const staff = staffSettings(env);
  // The handoff row is written and the console's inbox has it; only Slack hears nothing while it is off.
  if ((staff.slack || config.slackWebhookUrl) && !(await slackSwitchedOn(env, config, log))) {
    log.info("handoff.requested", { channel: handoff.channel, notified: false, slack: "channel_off" });
    return;
  }
  if (staff.slack) {
    await openSlackThread(env, staff.slack, staff.publicUrl, handoff);
    log.info("handoff.requested", { channel: handoff.channel, notified: true, slack: "thread" });
    return;
  }
  if (!config.slackWebhookUrl) {
    log.info("handoff.requested", { channel: handoff.channel, notified: false });
    return;
  }
  const response = await fetch(config.slackWebhookUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(handoffMessage(handoff)),
    signal: AbortSignal.timeout(5_000),
  });
  // A failed notification fails the step, so the queue retries it; the handoff row is already idempotent.
  if (!response.ok) throw new Error(`Slack webhook answered ${response.status}`);
  log.info("handoff.requested", { channel: handoff.channel, notified: true });
}

/** The Slack channel's rollout switch (PUT /api/admin/switches/channel/slack), or its default. */
async function slackSwitchedOn(env: Env, config: AppConfig, log: Logger): Promise<boolean> {
  const db = lazyDb(env.HYPERDRIVE.connectionString);
  try {
    return await channelOn(db.get, config, "slack", (error) => log.warn("rollout.read_failed", { error }));
  } finally {
    await db.close();
  }
}

/** The webhook payload: Slack must not unfurl or parse anything in it either. */
export function handoffMessage(handoff: { threadId: string; reason: string; channel: Channel }) {
  return {
    text: `A ${handoff.channel} conversation needs a person (thread ${handoff.threadId}): ${inertSlackText(handoff.reason)}`,
    unfurl_links: false,
    unfurl_media: false,
  };
}

/**
 * With the Slack app set up, each handoff opens a thread in the support channel (summary, Open in console,
 * buttons); replies there reach the visitor (worker/routes/slack.ts). A redelivered step finds the thread.
 */
async function openSlackThread(
  env: Env,
  slack: SlackApp,
  publicUrl: string | null,
  handoff: { threadId: string; reason: string },
): Promise<void> {
  const db = lazyDb(env.HYPERDRIVE.connectionString);
  try {
    if (await slackThreadOf(db.get(), handoff.threadId)) return;
    const consoleUrl = publicUrl ? `${publicUrl}/console/conversations/${handoff.threadId}` : null;
    const ts = await postSlackMessage(slack, handoffSlackMessage({ ...handoff, consoleUrl }));
    await saveSlackThread(db.get(), handoff.threadId, slack.channel, ts);
  } finally {
    await db.close();
  }
}
