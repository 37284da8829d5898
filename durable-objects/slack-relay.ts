/**
 * The visitor's side of a Slack thread: while a conversation waits for or is with a person, each visitor
 * message is posted into the Slack thread its handoff opened (none opened, or the Slack channel switched off:
 * nothing to do). Failures are logged, never the visitor's problem. Called by thread.ts after a message is stored.
 */
import type { ThreadMessage } from "../core/contracts/thread.ts";
import type { Logger } from "../core/log.ts";
import type { RolloutDefaults } from "../core/rollout.ts";
import { postSlackMessage, type SlackApp, visitorSlackPost } from "../core/slack/web-api.ts";
import type { Database } from "../db/client.ts";
import { channelOn } from "../db/rollout.ts";
import { slackThreadOf } from "../db/slack.ts";

export async function relayToSlack(
  db: Database,
  slack: SlackApp,
  rollout: RolloutDefaults,
  threadId: string,
  messages: ThreadMessage[],
  log: Logger,
): Promise<void> {
  const visitor = messages.filter((m) => m.role === "user");
  if (visitor.length === 0) return;
  try {
    const on = await channelOn(
      () => db,
      rollout,
      "slack",
      (error) => log.warn("rollout.read_failed", { error }),
    );
    if (!on) return;
    const thread = await slackThreadOf(db, threadId);
    if (!thread) return;
    for (const m of visitor) await postSlackMessage(slack, visitorSlackPost(thread.ts, m.content));
  } catch (error) {
    log.warn("slack.relay_failed", { error });
  }
}
