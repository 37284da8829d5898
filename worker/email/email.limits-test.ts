import { describe, expect, it } from "vitest";
import { deliver, outboxFor } from "../../test-tools/email.ts";
import { REJECTED } from "./inbound.ts";

// RL_EMAIL_SENDER is 2 emails per 10 s in this project (vitest.config.ts).
describe("email(): the per-sender rate limit", () => {
  it("refuses a sender past the limit, before any turn, and not the next sender", async () => {
    const flooder = `flood-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const outcomes: (string | null)[] = [];
    for (let i = 0; i < 3; i++)
      outcomes.push((await deliver({ from: flooder, body: `Question number ${i + 1}?` })).rejected);
    expect(outcomes).toEqual([null, null, REJECTED.rate_limited]);
    expect(await outboxFor(flooder)).toHaveLength(2);

    const other = `calm-${crypto.randomUUID().slice(0, 8)}@example.com`;
    expect((await deliver({ from: other, body: "Do you ship to Italy?" })).rejected).toBeNull();
    expect(await outboxFor(other)).toHaveLength(1);
  });
});
