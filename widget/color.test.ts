import { describe, expect, it } from "vitest";
import { contrastRatio, DEFAULT_ACCENT, palette } from "./color.ts";

describe("contrastRatio", () => {
  it("matches the WCAG reference values", () => {
    expect(contrastRatio("#000", "#fff")).toBeCloseTo(21, 1);
    expect(contrastRatio("#fff", "#fff")).toBeCloseTo(1, 5);
    expect(contrastRatio("#767676", "#ffffff")).toBeCloseTo(4.54, 1);
  });
});

describe("palette", () => {
  it("falls back to the default accent for anything that is not a hex colour", () => {
    for (const bad of [null, "", "red", "#12345", "url(x)", "#fff;background:url(x)"]) {
      expect(palette(bad).accent).toBe(DEFAULT_ACCENT);
    }
  });

  it.each(["#ffd400", "#2f5d3a", "#777777", "#ffffff", "#000000", "#e11d48", "#0ea5e9", "#abc"])(
    "text on %s always reaches AA (4.5:1)",
    (colour) => {
      const p = palette(colour);
      expect(contrastRatio(p.accent, p.onAccent)).toBeGreaterThanOrEqual(4.5);
      // Links sit on the light-grey reply bubble (#f1f3f5) as well as on white.
      expect(contrastRatio(p.link, "#f1f3f5")).toBeGreaterThanOrEqual(4.5);
    },
  );

  it("normalises short hex", () => {
    expect(palette("#ABC").accent).toBe("#aabbcc");
  });
});
