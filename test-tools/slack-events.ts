/**
 * Slack's side for tests: builds Events API and interactivity deliveries and signs them like Slack does (v0,
 * with the test signing secret of vitest.config.ts), or forges and replays them, and sends them through the
 * Worker's fetch handler.
 */
import { slackSignature } from "../core/slack/signature.ts";
import { call } from "./agent-api.ts";

export const TEST_SLACK_SECRET = "test-slack-signing-secret";

export async function sendSlack(
  path: "/slack/events" | "/slack/interactivity",
  body: string,
  options: { secret?: string; timestamp?: number; signature?: string; retry?: number } = {},
): Promise<Response> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature =
    options.signature ?? (await slackSignature(options.secret ?? TEST_SLACK_SECRET, timestamp, body));
  return call(path, {
    method: "POST",
    headers: {
      "content-type": path === "/slack/events" ? "application/json" : "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": signature,
      ...(options.retry
        ? { "x-slack-retry-num": String(options.retry), "x-slack-retry-reason": "http_timeout" }
        : {}),
    },
    body,
  });
}

/** A staff member's reply in a Slack thread, as an event_callback. */
export function threadReply(input: {
  eventId: string;
  user: string;
  channel: string;
  threadTs: string;
  text: string;
}) {
  return JSON.stringify({
    type: "event_callback",
    event_id: input.eventId,
    event: {
      type: "message",
      user: input.user,
      channel: input.channel,
      text: input.text,
      thread_ts: input.threadTs,
      ts: `${Date.now() / 1000}`,
    },
  });
}

/** A click on one of the handoff message's buttons. */
export function buttonClick(input: { user: string; action: string; threadId: string }): string {
  const payload = {
    type: "block_actions",
    user: { id: input.user },
    actions: [{ action_id: input.action, value: input.threadId }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
