import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// The pure core and Node tools run in plain Node; everything that touches bindings runs in workerd against a
// real PGlite + pgvector database, real Durable Objects and Queues, and the fake OpenAI-compatible server.
// Two Workers projects differ only in the brain: none configured (offline) or the fake model (primary+fallback).
// Rate limits are off (RATE_LIMITS=off) except in the project that tests them, where they are small and roll
// over every 10 s: test files send hundreds of requests from one client.
const workersProject = (
  name: string,
  include: string[],
  llm: boolean,
  vars: Record<string, string> = {},
  ratelimits?: Record<string, { namespace_id: string; simple: { limit: number; period: 10 | 60 } }>,
) => ({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: {
        hyperdrives: { HYPERDRIVE: inject("databaseUrl") },
        ...(ratelimits ? { ratelimits } : {}),
        bindings: {
          LOG_LEVEL: "warn",
          RATE_LIMITS: ratelimits ? "on" : "off",
          ADMIN_TOKEN: "test-admin-token-0123456789abcdef",
          // The same values as test-tools/identity-token.ts.
          IDENTITY_SECRET: "test-identity-secret-of-at-least-32-bytes",
          IDENTITY_ISSUER: "https://shop.test",
          IDENTITY_AUDIENCE: "https://agent.test",
          // The team is always in and handoffs wait an hour, so no test meets a follow-up it did not ask for.
          SUPPORT_SCHEDULE: ALWAYS_IN,
          HANDOFF_WAIT_MINUTES: "60",
          // Slack's side is the fake in test-tools (test-tools/slack-events.ts signs with this secret).
          SLACK_BOT_TOKEN: "xoxb-test-not-a-token",
          SLACK_SIGNING_SECRET: "test-slack-signing-secret",
          SLACK_CHANNEL_ID: "C0SUPPORT",
          SLACK_API_URL: `${inject("fakeSlackUrl")}/api/`,
          PUBLIC_URL: "https://agent.test",
          // Webhooks go to the fake receiver on loopback, and retries do not wait.
          WEBHOOKS_ALLOW_LOOPBACK: "true",
          WEBHOOK_RETRY_BASE_SECONDS: "0",
          // Every email the agent sends is also kept by the outbox in test-services (read with GET ?to=).
          MAIL_OUTBOX_URL: inject("mailOutboxUrl"),
          ...vars,
          ...(llm
            ? {
                LLM_BASE_URL: inject("fakeLlmUrl"),
                LLM_API_KEY: "test-key-not-secret",
                LLM_MODEL: "fake-primary",
                LLM_FALLBACK_MODEL: "fake-fallback",
              }
            : {}),
        },
      },
    })),
  ],
  test: {
    name,
    include,
    // The Durable Objects' logic on in-memory ports runs in Node (the core project).
    exclude: ["**/*.node.test.ts", "**/node_modules/**"],
    globalSetup: ["./test-tools/workers-setup.ts"],
    // The first request in each file loads the Worker's module graph.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

const ALWAYS_IN = JSON.stringify({
  timeZone: "UTC",
  weekly: Object.fromEntries(
    ["sun", "mon", "tue", "wed", "thu", "fri", "sat"].map((d) => [d, ["00:00-24:00"]]),
  ),
});

export default defineConfig({
  test: {
    reporters: ["default", "./test-tools/summary-reporter.ts"],
    // Closing a database socket inside workerd surfaces as these two rejections after the test has passed.
    onUnhandledError: (error) =>
      !/This socket has been closed|Stream was cancelled/.test(String(error?.message ?? error)),
    projects: [
      {
        test: {
          name: "core",
          environment: "node",
          // Starting PGlite (WASM) or wrangler takes seconds, many more on a loaded machine.
          hookTimeout: 60_000,
          include: [
            "core/**/*.test.ts",
            "durable-objects/**/*.node.test.ts",
            "db/**/*.test.ts",
            "kb-loader/**/*.test.ts",
            "evals/**/*.test.ts",
            "test-tools/**/*.test.ts",
            "scripts/**/*.test.ts",
            "widget/**/*.test.ts",
            "wordpress/**/*.test.ts",
          ],
        },
      },
      workersProject(
        "workers",
        ["worker/**/*.test.ts", "durable-objects/**/*.test.ts", "queues/**/*.test.ts"],
        false,
      ),
      workersProject(
        "workers-llm",
        ["worker/**/*.llm-test.ts", "durable-objects/**/*.llm-test.ts", "queues/**/*.llm-test.ts"],
        true,
      ),
      workersProject(
        "workers-limits",
        ["worker/**/*.limits-test.ts", "durable-objects/**/*.limits-test.ts"],
        false,
        {},
        {
          RL_THREADS_IP: { namespace_id: "1001", simple: { limit: 3, period: 10 } },
          RL_THREADS_VISITOR: { namespace_id: "1002", simple: { limit: 2, period: 10 } },
          RL_MESSAGES_IP: { namespace_id: "1003", simple: { limit: 6, period: 10 } },
          RL_MESSAGES_VISITOR: { namespace_id: "1004", simple: { limit: 4, period: 10 } },
          RL_READS_IP: { namespace_id: "1005", simple: { limit: 5, period: 10 } },
          RL_EMAIL_SENDER: { namespace_id: "1006", simple: { limit: 2, period: 10 } },
        },
      ),
      // Faults that must not touch other files' work, one file at a time against its own database: Postgres
      // down, records Postgres refuses, a misconfigured order source, and the logs all of that leaves.
      workersProject("workers-faults", ["**/*.faults-test.ts"], true, {
        LOG_LEVEL: "debug",
        ORDER_SOURCE: "woocommerce",
      }),
      // Rollout switches are global to a deployment: switching a tool off runs against a database of its own.
      workersProject("workers-rollout", ["**/*.rollout-test.ts"], true),
      // Every load counts as stale here (older than 0.36 s), to test what visitors get from a stale help centre.
      workersProject("workers-stale", ["durable-objects/**/*.stale-test.ts"], false, {
        KB_MAX_AGE_HOURS: "0.0001",
      }),
    ],
  },
});
