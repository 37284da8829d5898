import { describe, expect, it } from "vitest";
import { tokenizeInline } from "../contracts/links.ts";
import type { Citation } from "../contracts/thread.ts";
import { checkCitations, dropUnsupportedClaims, renderCitations } from "./citations.ts";
import { isAllowedUrl, LINK_REMOVED, OUTPUT_MAX_CHARS, plainLabel, sanitizeOutput } from "./sanitize.ts";

const options = { allowedHosts: ["fernhill.example"], secrets: ["super-secret-api-key-123"] };
const s1: Citation = {
  ref: "S1",
  chunkId: "c1",
  docId: "d1",
  title: "Refund timing",
  url: "https://help.fernhill.example/articles/refund-timing",
};
const s2: Citation = {
  ref: "S2",
  chunkId: "c2",
  docId: "d2",
  title: "Returns policy",
  url: "https://help.fernhill.example/articles/returns-policy",
};

describe("output sanitizing", () => {
  it("keeps links to allowed hosts and their subdomains, drops others, images and odd schemes", () => {
    const text = sanitizeOutput(
      "[a](https://help.fernhill.example/x) [b](https://fernhill.example.evil.com/x) ![i](https://fernhill.example/p.png) javascript:alert(1) https://evil.example/q",
      options,
    );
    expect(text).toContain("[a](https://help.fernhill.example/x)");
    expect(text).not.toMatch(/evil|javascript|p\.png/);
    expect(isAllowedUrl("https://user:pw@fernhill.example/", ["fernhill.example"])).toBe(false);
    expect(isAllowedUrl("http://shop.fernhill.example/a", ["fernhill.example"])).toBe(true);
  });

  it("redacts configured secrets, key-shaped strings, connection strings and stack traces", () => {
    const text = sanitizeOutput(
      "key super-secret-api-key-123 and sk-abcdefghijklmnopqrstuvwx and postgres://u:p@db:5432/x\nError: boom\n    at run (/app/worker.js:10:5)\n    at <anonymous>\nbye",
      options,
    );
    expect(text).not.toMatch(/super-secret|sk-abc|postgres:\/\/|worker\.js/);
    expect(text).toContain("bye");
  });
});

describe("citation check", () => {
  it("passes a reply that cites what was retrieved and renders the links", () => {
    const check = checkCitations("Refunds take 5-10 days [S1]. Returns within 30 days [S2].", [s1, s2], true);
    expect(check).toEqual({ cited: [s1, s2], unknownRefs: [], passed: true });
    expect(renderCitations("Refunds take 5-10 days [S1].", [s1])).toBe(
      "Refunds take 5-10 days (See: [Refund timing](https://help.fernhill.example/articles/refund-timing)).",
    );
  });

  it("links an article once even when two of its passages are cited", () => {
    const s3: Citation = { ...s1, ref: "S3", chunkId: "c3" };
    expect(
      renderCitations("Refunds take 5-10 days [S1]. Cards are slower [S3]. Returns are free [S2].", [
        s1,
        s2,
        s3,
      ]),
    ).toBe(
      "Refunds take 5-10 days (See: [Refund timing](https://help.fernhill.example/articles/refund-timing)). Cards are slower. Returns are free (See: [Returns policy](https://help.fernhill.example/articles/returns-policy)).",
    );
  });

  it("fails a reply with no citation after a search, or with a marker that names nothing retrieved", () => {
    expect(checkCitations("Refunds are quick.", [s1], true).passed).toBe(false);
    expect(checkCitations("Refunds are instant [S4].", [s1], true)).toMatchObject({
      passed: false,
      unknownRefs: ["S4"],
    });
    expect(checkCitations("Hello!", [], false).passed).toBe(true);
  });

  it("drops only the sentences whose markers are unsupported", () => {
    expect(
      dropUnsupportedClaims("Refunds take 5-10 days [S1]. You also get a voucher [S3]. Thanks!", [s1]),
    ).toBe("Refunds take 5-10 days [S1]. Thanks!");
  });
});

describe("one URL grammar", () => {
  const hosts = ["fernhill.example"];
  const clean = (text: string) => sanitizeOutput(text, { allowedHosts: hosts });

  it.each([
    ["[reset](https://evil.example/x", `[reset](${LINK_REMOVED}`],
    ["Resethttps://evil.example/x", `Reset${LINK_REMOVED}`],
    ["_https://evil.example/x", `_${LINK_REMOVED}`],
    ["x]([https://evil.example/y](javascript:void)", `x](${LINK_REMOVED}`],
    ["ht[tp](javascript:x)s://evil.example/z", LINK_REMOVED],
    ["[a](https://fernhill.example@evil.example/)", "a"],
    ["see HTTPS://EVIL.example/x.", `see ${LINK_REMOVED}.`],
    ["[[a](javascript:x)](https://evil.example)", `[a](${LINK_REMOVED})`],
    // Forms mail and chat clients link by themselves (found by the red-team suite).
    ['<a href="//evil.example/z">here</a>', `<a href="${LINK_REMOVED}">here</a>`],
    ["or www.evil.example/login now", `or ${LINK_REMOVED} now`],
  ])("%s leaves no outside URL anywhere", (text, expected) => {
    const out = clean(text);
    expect(out).toBe(expected);
    expect(out.toLowerCase()).not.toContain("evil");
    expect(tokenizeInline(out).filter((t) => t.k === "link" || t.k === "url")).toEqual([]);
  });

  it("keeps allowed links, normalised, and the words of refused ones", () => {
    expect(
      clean("Read [the policy](https://help.fernhill.example/r) or [this](https://evil.example/r)."),
    ).toBe("Read [the policy](https://help.fernhill.example/r) or this.");
    expect(clean("**Track: https://track.fernhill.example/1**")).toBe(
      "**Track: https://track.fernhill.example/1**",
    );
  });

  it("leaves prose that merely mentions a scheme word alone", () => {
    expect(clean("Your data: we keep it safe. File: invoice.")).toBe(
      "Your data: we keep it safe. File: invoice.",
    );
  });

  it("caps the text before anything else reads it", () => {
    const out = clean(`${"word ".repeat(2000)}https://evil.example/tail`);
    expect(out.length).toBeLessThanOrEqual(OUTPUT_MAX_CHARS);
    expect(out.endsWith("…")).toBe(true);
  });

  it("makes citation titles plain text", () => {
    expect(plainLabel("[Reset](https://evil.example/x) your **password**")).toBe(
      "Reset link removed your password",
    );
    expect(renderCitations("Do this [S1].", [{ ...s1, title: "[Click](https://evil.example/x)" }])).toBe(
      "Do this (See: [Click link removed](https://help.fernhill.example/articles/refund-timing)).",
    );
    expect(renderCitations("Do this [S1].", [{ ...s1, url: "" }])).toBe("Do this (See: Refund timing).");
  });
});
