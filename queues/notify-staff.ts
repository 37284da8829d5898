/**
 * Tells staff that a conversation needs a person, through a Slack incoming webhook when one is configured.
 * Without one, the handoff still lands in the handoffs table and the log for the dashboard.
 */
import { loadConfig } from "../core/config.ts";
import type { Channel } from "../core/contracts/thread.ts";
import { createLogger } from "../core/log.ts";

export async function notifyStaff(
  env: Env,
  handoff: { threadId: string; reason: string; channel: Channel },
): Promise<void> {
  const { config } = loadConfig(env);
  const log = createLogger({ threadId: handoff.threadId }, config.logLevel);
  if (!config.slackWebhookUrl) {
    log.info("handoff.requested", { channel: handoff.channel, notified: false });
    return;
  }
  const response = await fetch(config.slackWebhookUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      text: `A ${handoff.channel} conversation needs a person (thread ${handoff.threadId}): ${handoff.reason}`,
    }),
    signal: AbortSignal.timeout(5_000),
  });
  // A failed notification fails the step, so the queue retries it; the handoff row is already idempotent.
  if (!response.ok) throw new Error(`Slack webhook answered ${response.status}`);
  log.info("handoff.requested", { channel: handoff.channel, notified: true });
}
