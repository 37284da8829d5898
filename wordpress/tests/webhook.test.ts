/**
 * The plugin's webhook receiver against deliveries signed by the `standardwebhooks` package (the reference
 * implementation of the spec the agent signs with): a valid one becomes a waiting conversation, an admin
 * notice and an email; a forged, tampered, stale or unsigned one is refused with nothing changed; a replayed
 * webhook-id does nothing twice. Runs wordpress/tests/webhook.php with php-cli; skips only without php.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";

const hasPhp = spawnSync("php", ["--version"]).status === 0;
const SECRET = `whsec_${randomBytes(32).toString("base64")}`;
const OTHER = `whsec_${randomBytes(32).toString("base64")}`;

interface Delivery {
  headers: Record<string, string>;
  body: string;
}
interface Outcome {
  results: { status: number; code?: string; body?: Record<string, unknown> }[];
  waiting: string[];
  mail: [string, string, string][];
  notice: string;
}

function signed(secret: string, id: string, event: object, at = new Date()): Delivery {
  const body = JSON.stringify(event);
  return {
    headers: {
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign(id, at, body),
    },
    body,
  };
}

function run(deliveries: Delivery[], extra: Record<string, unknown> = {}): Outcome {
  const file = join(mkdtempSync(join(tmpdir(), "wp-webhook-")), "input.json");
  writeFileSync(file, JSON.stringify({ secret: SECRET, deliveries, ...extra }));
  const script = fileURLToPath(new URL("./webhook.php", import.meta.url));
  const out = spawnSync("php", ["-d", "display_errors=stderr", script, file], { encoding: "utf8" });
  if (out.status !== 0) throw new Error(`php failed: ${out.stderr}`);
  return JSON.parse(out.stdout);
}

const handoff = (thread: string) => ({
  type: "handoff.requested",
  timestamp: new Date().toISOString(),
  data: { thread_id: thread },
});

describe.skipIf(!hasPhp)("WordPress plugin webhooks", () => {
  it("turns signed handoffs into a waiting count, a notice linking the console and an email", () => {
    const out = run([
      signed(SECRET, "msg_1", handoff("t-1")),
      signed(SECRET, "msg_2", handoff("t-2")),
      signed(SECRET, "msg_3", {
        type: "ticket.created",
        timestamp: new Date().toISOString(),
        data: { ticket_id: "k-1", thread_id: "t-3" },
      }),
    ]);
    expect(out.results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(out.waiting).toEqual(["t-1", "t-2"]);
    expect(out.notice).toContain("2 conversations need a person.");
    expect(out.notice).toContain('href="https://agent.example/console"');
    expect(out.mail.map(([to, subject]) => [to, subject])).toEqual([
      ["owner@shop.example", "[Fernhill] A conversation needs a person"],
      ["owner@shop.example", "[Fernhill] A conversation needs a person"],
      ["owner@shop.example", "[Fernhill] A new support ticket was opened"],
    ]);
    expect(out.mail[0]?.[2]).toContain("https://agent.example/console/conversations/t-1");
  });

  it("sends the emails to the chosen address and clears a conversation once someone takes it", () => {
    const out = run(
      [
        signed(SECRET, "a", handoff("t-1")),
        signed(SECRET, "b", handoff("t-2")),
        signed(SECRET, "c", { type: "conversation.assigned", data: { thread_id: "t-1" } }),
      ],
      { notify_email: "support@shop.example" },
    );
    expect(out.waiting).toEqual(["t-2"]);
    expect(out.notice).toContain("1 conversation needs a person.");
    expect(out.mail.map(([to]) => to)).toEqual(["support@shop.example", "support@shop.example"]);
  });

  it("rejects a bad, tampered, stale or missing signature and changes nothing", () => {
    const good = signed(SECRET, "msg_ok", handoff("t-9"));
    const tampered = { ...good, body: good.body.replace("t-9", "t-666") };
    const stale = signed(SECRET, "msg_old", handoff("t-9"), new Date(Date.now() - 10 * 60_000));
    const { "webhook-signature": _, ...unsignedHeaders } = good.headers;
    const out = run([
      signed(OTHER, "msg_forged", handoff("t-9")),
      tampered,
      stale,
      { headers: unsignedHeaders, body: good.body },
      { ...good, headers: { ...good.headers, "webhook-signature": "v1,AAAA" } },
    ]);
    expect(out.results).toEqual([
      { status: 401, code: "support_agent_bad_signature" },
      { status: 401, code: "support_agent_bad_signature" },
      { status: 401, code: "support_agent_stale_timestamp" },
      { status: 401, code: "support_agent_missing_headers" },
      { status: 401, code: "support_agent_bad_signature" },
    ]);
    expect(out.waiting).toEqual([]);
    expect(out.mail).toEqual([]);
    expect(out.notice).toBe("");
  });

  it("does a replayed webhook-id nothing twice (2xx, so the sender stops retrying)", () => {
    const once = signed(SECRET, "msg_same", handoff("t-1"));
    const out = run([once, once, signed(SECRET, "msg_same", handoff("t-2"))]);
    expect(out.results).toEqual([
      { status: 200, body: { received: "handoff.requested" } },
      { status: 200, body: { duplicate: true } },
      { status: 200, body: { duplicate: true } },
    ]);
    expect(out.waiting).toEqual(["t-1"]);
    expect(out.mail).toHaveLength(1);
  });
});
