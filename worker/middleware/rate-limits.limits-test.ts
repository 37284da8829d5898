/**
 * The chat API's rate limits in real workerd with the Rate Limiting binding. This project's limits are small
 * and roll over every 10 s (vitest.config.ts): 3 new threads and 6 messages per IP, 2 new threads and 4
 * messages per device or sign-in, 5 reads per IP. Each test uses its own IPs and devices.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { call } from "../../test-tools/agent-api.ts";
import { mintIdentityToken } from "../../test-tools/identity-token.ts";
import { eventually, query } from "../../test-tools/remote-controls.ts";
import { deviceKey, ipKey, rateLimitsOn } from "./rate-limits.ts";

const PERIOD_MS = 10_000;
let nextIp = 1;
const freshIp = () => `198.51.100.${nextIp++}`;
const freshDevice = () => `device-${crypto.randomUUID().replaceAll("-", "")}`;

/**
 * Runs a scenario that must fit in one window of the limits; if it straddled a window boundary (a slow,
 * loaded machine), it runs again with fresh keys, up to three times. Returns what the last run returned.
 */
async function inOneWindow<T>(scenario: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const window = Math.floor(Date.now() / PERIOD_MS);
    const result = await scenario();
    if (Math.floor(Date.now() / PERIOD_MS) === window || attempt === 3) return result;
  }
}

function post(
  body: Record<string, unknown>,
  headers: Record<string, string>,
  token?: string,
): Promise<Response> {
  return call("/api/agent/messages", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

async function storedUserMessages(marker: string): Promise<number> {
  return query(async (db) => {
    const rows = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from messages where role = 'user' and content like ${`%${marker}%`}`,
    );
    return Number(rows[0]?.n ?? 0);
  });
}

describe("limit keys", () => {
  it("reads CF-Connecting-IP only, IPv6 as its /64", () => {
    expect(ipKey("203.0.113.9")).toBe("ip4:203.0.113.9");
    expect(ipKey("2001:db8:1:2:aaaa::1")).toBe("ip6:2001:db8:1:2::/64");
    expect(ipKey("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).toBe("ip6:2001:db8:1:2::/64");
    expect(ipKey("2001:db8::1")).toBe("ip6:2001:db8:0:0::/64");
    expect(ipKey("::ffff:203.0.113.9")).toBe("ip4:203.0.113.9");
    for (const bad of [undefined, "", "unknown", "1.2.3.4, 5.6.7.8", "2001:db8::1::2", "<script>"]) {
      expect(ipKey(bad)).toBeNull();
    }
  });

  it("takes only well-formed device ids, and is on unless RATE_LIMITS is exactly off", () => {
    expect(deviceKey("abcdefghijklmnop")).toBe("device:abcdefghijklmnop");
    expect(deviceKey("short")).toBeNull();
    expect(deviceKey("has spaces in it, too many")).toBeNull();
    expect(rateLimitsOn({})).toBe(true);
    expect(rateLimitsOn({ RATE_LIMITS: "" })).toBe(true);
    expect(rateLimitsOn({ RATE_LIMITS: "false" })).toBe(true);
    expect(rateLimitsOn({ RATE_LIMITS: "off" })).toBe(false);
  });
});

describe("rate limits", () => {
  it("refuses the 4th new thread from one IP with 429 and Retry-After, before any thread exists", async () => {
    const { statuses, marker, refusals } = await inOneWindow(async () => {
      const ip = freshIp();
      const marker = `rl-open-${crypto.randomUUID()}`;
      const statuses: number[] = [];
      const refusals: unknown[] = [];
      for (let i = 0; i < 5; i++) {
        const headers = { "cf-connecting-ip": ip, "x-device-id": freshDevice() };
        const res = await post({ message: `Hello ${marker}` }, headers);
        statuses.push(res.status);
        if (res.status === 429)
          refusals.push({ retryAfter: res.headers.get("retry-after"), ...((await res.json()) as object) });
        else await res.text();
      }
      return { statuses, marker, refusals };
    });
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    expect(refusals[0]).toEqual({
      retryAfter: "60",
      error: { code: "rate_limited:new_threads", message: expect.stringContaining("wait") },
    });
    // Only the three admitted ones reached a thread and were recorded (the record follows the reply).
    const stored = await eventually(async () => {
      const n = await storedUserMessages(marker);
      return n >= 3 ? n : undefined;
    });
    expect(stored).toBe(3);
    // Another IP is not affected; the same IPv6 /64 is one client, another /64 another.
    expect((await post({ message: "hi" }, { "cf-connecting-ip": freshIp() })).status).toBe(201);
    const v6 = await inOneWindow(async () => {
      const prefix = `2001:db8:${nextIp++}:1`;
      const out: number[] = [];
      for (const ip of [
        `${prefix}::1`,
        `${prefix}::2`,
        `${prefix}:ffff::3`,
        `${prefix}:aaaa::4`,
        `${prefix}0::1`,
      ]) {
        out.push((await post({ message: "hi" }, { "cf-connecting-ip": ip })).status);
      }
      return out;
    });
    expect(v6).toEqual([201, 201, 201, 429, 201]);
  });

  it("counts new threads per device and per sign-in, whatever the IP", async () => {
    const byDevice = await inOneWindow(async () => {
      const device = freshDevice();
      const out: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await post({ message: "hi" }, { "cf-connecting-ip": freshIp(), "x-device-id": device });
        out.push(res.status);
      }
      return out;
    });
    expect(byDevice).toEqual([201, 201, 429]);
    // One sign-in token cannot open unlimited threads, even from many IPs and devices.
    const bySignIn = await inOneWindow(async () => {
      const token = await mintIdentityToken(`rl-${crypto.randomUUID()}`, "rl.visitor@example.com");
      const out: number[] = [];
      for (let i = 0; i < 3; i++) {
        const headers = {
          "cf-connecting-ip": freshIp(),
          "x-device-id": freshDevice(),
          "x-identity-token": token,
        };
        out.push((await post({ message: "hi" }, headers)).status);
      }
      return out;
    });
    expect(bySignIn).toEqual([201, 201, 429]);
  });

  it("limits messages into an existing thread per device, and lets them through again when the window rolls over", async () => {
    const run = await inOneWindow(async () => {
      const headers = { "cf-connecting-ip": freshIp(), "x-device-id": freshDevice() };
      const opened = await post({ message: "hi" }, headers);
      const thread = (await opened.json()) as { thread_id: string; thread_token: string };
      const statuses: number[] = [];
      const refusals: unknown[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await post(
          { message: `more ${i}`, thread_id: thread.thread_id },
          headers,
          thread.thread_token,
        );
        statuses.push(res.status);
        if (res.status === 429) refusals.push(await res.json());
        else await res.text();
      }
      return { headers, thread, statuses, refusals };
    });
    // The opening counted as the device's first message: 3 more fit in its 4.
    expect(run.statuses).toEqual([200, 200, 200, 429]);
    expect(run.refusals).toEqual([{ error: expect.objectContaining({ code: "rate_limited:messages" }) }]);
    await new Promise((r) => setTimeout(r, PERIOD_MS - (Date.now() % PERIOD_MS) + 100));
    const again = await post(
      { message: "after the window", thread_id: run.thread.thread_id },
      run.headers,
      run.thread.thread_token,
    );
    expect(again.status).toBe(200);
  }, 60_000);

  it("limits reads per IP", async () => {
    const statuses = await inOneWindow(async () => {
      const ip = freshIp();
      const out: number[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await call(`/api/agent/thread/${crypto.randomUUID()}`, {
          headers: { authorization: "Bearer nope", "cf-connecting-ip": ip },
        });
        out.push(res.status);
        await res.text();
      }
      return out;
    });
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429]);
  });
});
