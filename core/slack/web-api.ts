/**
 * The two Slack Web API calls the relay makes, over fetch (Workers have no Node HTTP stack, which is why this
 * is not @slack/web-api): a handoff's message in the support channel, with the summary, an "Open in console"
 * link and the Take over / Release / Close buttons, and a threaded post of a visitor's message. Text that came
 * from visitors or the Brain goes out inert (no mentions, no links).
 */
import { inertSlackText } from "../guardrails/slack-text.ts";

export interface SlackApp {
  botToken: string;
  channel: string;
  /** e.g. https://slack.com/api/ */
  apiUrl: string;
}

/** chat.postMessage; the message's ts. Throws when Slack says no (the queue retries). */
export async function postSlackMessage(app: SlackApp, message: Record<string, unknown>): Promise<string> {
  const response = await fetch(new URL("chat.postMessage", app.apiUrl), {
    method: "POST",
    headers: { authorization: `Bearer ${app.botToken}`, "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify({ channel: app.channel, unfurl_links: false, unfurl_media: false, ...message }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json().catch(() => ({}))) as { ok?: boolean; ts?: string; error?: string };
  if (!response.ok || !body.ok || !body.ts)
    throw new Error(`Slack chat.postMessage: ${body.error ?? response.status}`);
  return body.ts;
}

export function handoffSlackMessage(input: { threadId: string; reason: string; consoleUrl: string | null }) {
  const text = `A conversation needs a person: ${inertSlackText(input.reason)}`;
  const button = (action: string, label: string) => ({
    type: "button",
    action_id: action,
    value: input.threadId,
    text: { type: "plain_text", text: label },
  });
  return {
    text,
    blocks: [
      { type: "section", text: { type: "plain_text", text } },
      {
        type: "actions",
        elements: [
          ...(input.consoleUrl
            ? [
                {
                  type: "button",
                  action_id: "open",
                  url: input.consoleUrl,
                  text: { type: "plain_text", text: "Open in console" },
                },
              ]
            : []),
          button("takeover", "Take over"),
          button("release", "Release"),
          button("close", "Close"),
        ],
      },
    ],
  };
}

export const visitorSlackPost = (threadTs: string, content: string) => ({
  thread_ts: threadTs,
  text: `Visitor: ${inertSlackText(content)}`,
});
