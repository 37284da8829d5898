import { describe, expect, it } from "vitest";
import { call } from "../test-tools/agent-api.ts";

describe("GET /readyz", () => {
  it("is ready with the seeded database, the help centre and no config problems", async () => {
    const response = await call("/readyz");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      ready: true,
      checks: {
        // The secrets vitest.config.ts gives the Workers tests (the Slack app's two talk to the fake Slack).
        config: {
          ok: true,
          problems: [],
          secretsSet: ["ADMIN_TOKEN", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "IDENTITY_SECRET"],
        },
        database: { ok: true },
        knowledge: { ok: true, reason: null },
        model: null,
      },
    });
  });

  it("leaves /healthz a liveness check that touches nothing", async () => {
    const response = await call("/healthz");
    expect(await response.json()).toEqual({ ok: true });
  });
});
