import { describe, expect, it } from "vitest";
import { escapeSlack, inertSlackText, slackLink } from "./slack-text.ts";

describe("inert Slack text", () => {
  it.each([
    ["<!channel> refund now", "&lt;!channel&gt; refund now"],
    ["<@U024BE7LH> please", "&lt;@U024BE7LH&gt; please"],
    ["<https://evil.example/x|Open the order>", "&lt;hxxps://evil[.]example/x|Open the order&gt;"],
    ["@here @channel @everyone", "@\u200bhere @\u200bchannel @\u200beveryone"],
    [
      "visit evil.example or https://evil.example/login",
      "visit evil[.]example or hxxps://evil[.]example/login",
    ],
    ["*bold* _it_ `code`", "\u200b*bold\u200b* \u200b_it\u200b_ \u200b`code\u200b`"],
  ])("%s", (input, expected) => {
    expect(inertSlackText(input)).toBe(expected);
  });

  it("masks emails and phone numbers, collapses whitespace and caps the length", () => {
    const out = inertSlackText(`mail ana.kovac@example.com\n\ncall +49 30 1234567 ${"x".repeat(1000)}`);
    expect(out).not.toContain("ana.kovac");
    expect(out).not.toContain("1234567");
    expect(out).not.toContain("\n");
    expect(out.length).toBeLessThanOrEqual(520);
  });

  it("escapes the three control characters", () => {
    expect(escapeSlack("a & b < c > d")).toBe("a &amp; b &lt; c &gt; d");
  });
});

describe("console links", () => {
  const origin = "https://agent.shop.example";
  it("links the agent's own pages only", () => {
    expect(slackLink(`${origin}/console/threads/t1`, "Open <thread>", origin)).toBe(
      "<https://agent.shop.example/console/threads/t1|Open &lt;thread&gt;>",
    );
    expect(slackLink("https://evil.example/console", "Open", origin)).toBeNull();
    expect(slackLink("javascript:alert(1)", "Open", origin)).toBeNull();
    expect(slackLink(`${origin}/a|b>c`, "x|y", origin)).toBe("<https://agent.shop.example/a%7Cb%3Ec|x/y>");
  });
});
