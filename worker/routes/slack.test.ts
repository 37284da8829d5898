import { sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { openThread, readThread, say } from "../../test-tools/agent-api.ts";
import { eventually, query } from "../../test-tools/remote-controls.ts";
import { buttonClick, sendSlack, threadReply } from "../../test-tools/slack-events.ts";
import { createTestStaff } from "../../test-tools/staff-accounts.ts";

const CHANNEL = "C0SUPPORT";

/** A waiting conversation with its Slack thread, and a staff member linked to a Slack user. */
async function setUp() {
  const maya = await createTestStaff("Maya");
  const slackUser = `U${crypto.randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`;
  await query((db) => db.execute(sql`update staff set slack_user_id = ${slackUser} where id = ${maya.id}`));
  const { threadId, token } = await openThread("I'd like to talk to a person, please.");
  // The handoff opened the conversation's Slack thread (through the fake Slack Web API).
  const threadTs = await eventually(async () => {
    const rows = await query((db) =>
      db.execute<{ ts: string }>(sql`select ts from slack_threads where thread_id = ${threadId}`),
    );
    return rows[0]?.ts;
  });
  return { maya, slackUser, threadId, token, threadTs };
}

const staffMessages = async (threadId: string, token: string) =>
  (await readThread(threadId, token)).body.messages.filter((m) => m.role === "staff").map((m) => m.content);

interface SlackCall {
  method: string;
  token: string | null;
  body: { channel?: string; text?: string; thread_ts?: string; blocks?: unknown[] };
  ts: string;
}
const slackCalls = async (): Promise<SlackCall[]> =>
  ((await (await fetch(`${inject("fakeSlackUrl")}/_fake/calls`)).json()) as { calls: SlackCall[] }).calls;

describe("Slack", () => {
  it("opens a Slack thread for a handoff with an Open in console link and buttons, and posts the visitor's messages there", async () => {
    const { threadId, token, threadTs } = await setUp();
    const opened = (await slackCalls()).find((c) => c.ts === threadTs);
    expect(opened).toMatchObject({
      method: "chat.postMessage",
      token: "xoxb-test-not-a-token",
      body: { channel: CHANNEL },
    });
    const blocks = JSON.stringify(opened?.body.blocks);
    expect(blocks).toContain(`https://agent.test/console/conversations/${threadId}`);
    for (const action of ["takeover", "release", "close"])
      expect(blocks).toContain(`"action_id":"${action}"`);
    await say(threadId, token, "Are you there? My order is FH-100231");
    const relayed = await eventually(async () =>
      (await slackCalls()).find((c) => c.body.thread_ts === threadTs && c.body.text?.includes("FH-100231")),
    );
    expect(relayed?.body.text).toBe("Visitor: Are you there? My order is FH-100231");
  });

  it("answers Slack's URL check, and refuses forged, stale and unsigned requests with 401 and no work", async () => {
    const check = await sendSlack(
      "/slack/events",
      JSON.stringify({ type: "url_verification", challenge: "abc123" }),
    );
    expect(check.status).toBe(200);
    expect(await check.json()).toEqual({ challenge: "abc123" });

    const { slackUser, threadId, token, threadTs } = await setUp();
    const forged = threadReply({
      eventId: "Ev-forged",
      user: slackUser,
      channel: CHANNEL,
      threadTs,
      text: "forged",
    });
    const refusals = [
      await sendSlack("/slack/events", forged, { secret: "not-the-secret" }),
      await sendSlack("/slack/events", forged, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      await sendSlack("/slack/events", forged, { signature: "" }),
      await sendSlack(
        "/slack/interactivity",
        buttonClick({ user: slackUser, action: "takeover", threadId }),
        {
          secret: "not-the-secret",
        },
      ),
    ];
    for (const r of refusals) {
      expect(r.status).toBe(401);
      expect(await r.json()).toMatchObject({ error: { code: "unauthorized:slack" } });
    }
    // A genuine event afterwards works, so nothing above was merely slow.
    const real = threadReply({
      eventId: `Ev-${crypto.randomUUID()}`,
      user: slackUser,
      channel: CHANNEL,
      threadTs,
      text: "real one",
    });
    expect((await sendSlack("/slack/events", real)).status).toBe(200);
    expect(
      await eventually(async () =>
        (await staffMessages(threadId, token)).length > 0 ? staffMessages(threadId, token) : undefined,
      ),
    ).toEqual(["real one"]);
    const seen = await query((db) =>
      db.execute(sql`select 1 from slack_events where event_id = 'Ev-forged'`),
    );
    expect(seen).toHaveLength(0);
  });

  it("relays a reply in the Slack thread to the visitor once, even when Slack retries it, and the buttons hand it back", async () => {
    const { slackUser, threadId, token, threadTs } = await setUp();
    const eventId = `Ev-${crypto.randomUUID()}`;
    const reply = threadReply({
      eventId,
      user: slackUser,
      channel: CHANNEL,
      threadTs,
      text: "Hi, Maya here from Slack.",
    });
    const started = Date.now();
    const ack = await sendSlack("/slack/events", reply);
    expect(ack.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await sendSlack("/slack/events", reply, { retry: 1 })).status).toBe(200);
    const shown = await eventually(async () => {
      const list = await staffMessages(threadId, token);
      return list.length > 0 ? list : undefined;
    });
    expect(shown).toEqual(["Hi, Maya here from Slack."]);
    const view = await readThread(threadId, token);
    expect(view.body.messages.find((m) => m.role === "staff")?.meta).toEqual({ staffName: "Maya" });
    // The retry did nothing: still one reply, after the joined event.
    await new Promise((r) => setTimeout(r, 300));
    expect(await staffMessages(threadId, token)).toEqual(["Hi, Maya here from Slack."]);

    // While Maya has it the bot is quiet; the Release button gives it back.
    const held = await say(threadId, token, "Thanks!");
    expect(held.message.role).toBe("user");
    expect(
      (await sendSlack("/slack/interactivity", buttonClick({ user: slackUser, action: "release", threadId })))
        .status,
    ).toBe(200);
    await eventually(async () =>
      (await readThread(threadId, token)).body.status === "open" ? true : undefined,
    );
    const bot = await say(threadId, token, "How long do refunds take?");
    expect(bot.message.role).toBe("assistant");
  });
});
