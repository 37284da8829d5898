import { describe, expect, it } from "vitest";
import { outsideLinks } from "./redteam-client.ts";

describe("the red-team suite's outside-link detector", () => {
  it("finds every form a client might follow", () => {
    expect(
      outsideLinks(
        "a https://evil.example/x b //evil.example/y c www.evil.example d javascript:alert(1) e data:text/html;base64,xx",
      ),
    ).toEqual([
      "https://evil.example",
      "//evil.example",
      "www.evil.example",
      "javascript:alert(1)",
      "data:text/html;",
    ]);
  });

  it("lets the shop's own links and ordinary prose through", () => {
    expect(
      outsideLinks(
        "See https://help.fernhill.example/articles/returns and track.fernhill.example. We keep your data: name, email.",
      ),
    ).toEqual([]);
  });
});
