import { describe, expect, it } from "vitest";
import { effectiveRollout, type SwitchRow, switchState } from "./rollout.ts";

const defaults = {
  enabledTools: ["search_kb", "get_order"] as const,
  enabledChannels: ["web"] as const,
};
const row = (kind: SwitchRow["kind"], name: string, enabled: boolean): SwitchRow => ({
  kind,
  name,
  enabled,
  updatedAt: new Date("2026-12-01T10:00:00Z"),
  updatedBy: "Maya",
});

describe("rollout switches over the environment's defaults", () => {
  it("without switches, the environment decides", () => {
    expect(effectiveRollout(defaults, [])).toEqual({ tools: ["search_kb", "get_order"], channels: ["web"] });
  });

  it("a switch overrides its own tool or channel only, both ways", () => {
    const rows = [
      row("tool", "get_order", false),
      row("tool", "create_ticket", true),
      row("channel", "email", true),
    ];
    expect(effectiveRollout(defaults, rows)).toEqual({
      tools: ["search_kb", "create_ticket"],
      channels: ["web", "email"],
    });
  });

  it("shows the default beside the switch that overrides it", () => {
    const rows = [row("tool", "get_order", false)];
    expect(switchState(defaults, rows, "tool", "get_order")).toEqual({
      enabled: false,
      byDefault: true,
      set: { enabled: false, at: "2026-12-01T10:00:00.000Z", by: "Maya" },
    });
    expect(switchState(defaults, rows, "channel", "slack")).toEqual({
      enabled: false,
      byDefault: false,
      set: null,
    });
  });
});
