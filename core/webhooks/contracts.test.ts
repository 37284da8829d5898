import { describe, expect, it } from "vitest";
import { webhookRetryDelaySeconds, webhookUrlProblem } from "./contracts.ts";

describe("webhook URL policy", () => {
  it("allows https always and loopback http only when allowed", () => {
    expect(webhookUrlProblem("https://shop.example/hook", false)).toBeNull();
    expect(webhookUrlProblem("http://127.0.0.1:8080/hook", true)).toBeNull();
    expect(webhookUrlProblem("http://localhost/hook", true)).toBeNull();
    expect(webhookUrlProblem("http://[::1]/hook", true)).toBeNull();
    expect(webhookUrlProblem("http://127.0.0.1:8080/hook", false)).toBe("must be https");
    expect(webhookUrlProblem("http://localhost.shop.example/hook", true)).not.toBeNull();
    expect(webhookUrlProblem("http://127.0.0.2/hook", true)).not.toBeNull();
  });
});

describe("webhook retry schedule", () => {
  it("doubles from the base and stops growing at 12 hours", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => webhookRetryDelaySeconds(n, 30))).toEqual([
      30, 60, 120, 240, 480, 960, 1920, 3840,
    ]);
    expect(webhookRetryDelaySeconds(20, 30)).toBe(43_200);
    expect(webhookRetryDelaySeconds(3, 0)).toBe(0);
  });
});
