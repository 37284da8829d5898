/**
 * Slack's request signature, v0: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the app's signing
 * secret, sent as X-Slack-Signature with X-Slack-Request-Timestamp. A request older or newer than 5 minutes is
 * refused (a replay), and the comparison takes the same time wherever the strings differ. WebCrypto only, so it
 * runs in the Worker and in Node; test-tools/slack-events.ts signs with the same function.
 */
import { hmacSha256Hex, timingSafeEqual } from "../ids.ts";

export const SLACK_SIGNATURE_WINDOW_SECONDS = 300;

export async function slackSignature(secret: string, timestamp: string, body: string): Promise<string> {
  return `v0=${await hmacSha256Hex(secret, `v0:${timestamp}:${body}`)}`;
}

/** Whether a request is Slack's, signed within the window. */
export async function verifySlackSignature(input: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
  nowSeconds: number;
}): Promise<boolean> {
  const { timestamp, signature } = input;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(input.nowSeconds - Number(timestamp)) > SLACK_SIGNATURE_WINDOW_SECONDS) return false;
  const expected = await slackSignature(input.secret, timestamp, input.body);
  return timingSafeEqual(expected, signature);
}
