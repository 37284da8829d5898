import { sql } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";
import { ROLLOUT_TTL_MS } from "../../db/rollout.ts";
import { call, openThread, say } from "../../test-tools/agent-api.ts";
import { addLlmRule, eventually, query } from "../../test-tools/remote-controls.ts";
import { createTestStaff } from "../../test-tools/staff-accounts.ts";

// This project has a database of its own: switching Slack off here cannot touch another file's handoffs.
const ADMIN = { authorization: "Bearer test-admin-token-0123456789abcdef" };

const switchSlack = async (enabled: boolean) => {
  const response = await call("/api/admin/switches/channel/slack", {
    method: "PUT",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ enabled }),
  });
  expect(response.status).toBe(200);
  // Every isolate re-reads the switches within the TTL.
  await new Promise((resolve) => setTimeout(resolve, ROLLOUT_TTL_MS + 500));
};

interface SlackCall {
  method: string;
  body: { text?: string; thread_ts?: string; blocks?: unknown[] };
  ts: string;
}
const slackCallsAbout = async (threadId: string, text: string) =>
  (
    (await (await fetch(`${inject("fakeSlackUrl")}/_fake/calls`)).json()) as { calls: SlackCall[] }
  ).calls.filter((c) => JSON.stringify(c.body).includes(threadId) || c.body.text?.includes(text));

/** A model turn that hands off; returns once the handoff step ran (its row, and its notification if any). */
async function handoff() {
  const m = `slack switch, a person please ${crypto.randomUUID().slice(0, 8)}`;
  await addLlmRule({
    match: m,
    responses: [
      {
        tool_calls: [
          { name: "handoff_human", arguments: { reason: "asked for a person", transcript_excerpt: m } },
        ],
      },
      { text: "A person will join you." },
    ],
  });
  const { threadId, token } = await openThread(m);
  await eventually(async () => {
    const rows = await query((db) =>
      db.execute<{ status: string }>(
        sql`select status from tool_calls where thread_id = ${threadId} and tool = 'handoff_human'`,
      ),
    );
    return rows[0]?.status === "succeeded" ? true : undefined;
  }, 20_000);
  return { threadId, token };
}

const slackThreadOf = (threadId: string) =>
  query((db) => db.execute(sql`select ts from slack_threads where thread_id = ${threadId}`));

afterAll(async () => {
  await switchSlack(true);
});

describe("the Slack channel's switch", () => {
  it("off: a handoff is recorded and reaches the console but posts nothing to Slack, nor the visitor's messages", async () => {
    const maya = await createTestStaff("Maya");
    // On (the default): the handoff opens its Slack thread.
    const posted = await handoff();
    expect(await slackThreadOf(posted.threadId)).toHaveLength(1);
    expect(await slackCallsAbout(posted.threadId, "-")).not.toHaveLength(0);

    await switchSlack(false);
    const quiet = await handoff();
    const recorded = await query((db) =>
      db.execute(sql`select reason from handoffs where thread_id = ${quiet.threadId}`),
    );
    expect(recorded).toEqual([{ reason: "asked for a person" }]);
    const inbox = await call("/api/console/conversations?status=handoff", { headers: maya.bearer });
    const waiting = ((await inbox.json()) as { conversations: { thread_id: string }[] }).conversations;
    expect(waiting.map((c) => c.thread_id)).toContain(quiet.threadId);
    expect(await slackThreadOf(quiet.threadId)).toHaveLength(0);
    expect(await slackCallsAbout(quiet.threadId, quiet.threadId)).toEqual([]);

    // The conversation handed off while Slack was on gets no more relayed visitor messages either.
    const marker = `still there? ${crypto.randomUUID().slice(0, 8)}`;
    await say(posted.threadId, posted.token, marker);
    await eventually(async () => {
      const rows = await query((db) =>
        db.execute(sql`select 1 from messages where thread_id = ${posted.threadId} and content = ${marker}`),
      );
      return rows.length > 0 ? true : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await slackCallsAbout("no-such-thread", marker)).toEqual([]);
  });
});
