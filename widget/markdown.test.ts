import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown, plainText, safeHref } from "./markdown.ts";

/** The hosts the agent allows replies to link to, as the loader hands them over. */
const HOSTS = ["fernhill.example", "x.example", "t.example", "example.com"];

describe("safeHref", () => {
  it.each([
    [
      "https://help.fernhill.example/articles/refund-timing",
      "https://help.fernhill.example/articles/refund-timing",
    ],
    ["http://example.com", "http://example.com/"],
    ["HTTPS://Example.com/a", "https://example.com/a"],
  ])("keeps the http(s) URL %s", (raw, href) => {
    expect(safeHref(raw, HOSTS)).toBe(href);
  });

  it.each([
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox",
    "//evil.example/x",
    "/relative/path",
    "mailto:someone@example.com",
    "https://",
    " javascript:alert(1)",
  ])("refuses %s", (raw) => {
    expect(safeHref(raw, HOSTS)).toBeNull();
  });
});

describe("parseInline", () => {
  it("reads bold, links and plain text in order", () => {
    expect(
      parseInline(
        "Refunds take **5-10 days** (See: [Refund timing](https://help.fernhill.example/r))",
        HOSTS,
      ),
    ).toEqual([
      { k: "text", v: "Refunds take " },
      { k: "b", c: [{ k: "text", v: "5-10 days" }] },
      { k: "text", v: " (See: " },
      { k: "a", href: "https://help.fernhill.example/r", text: "Refund timing" },
      { k: "text", v: ")" },
    ]);
  });

  it("keeps a link's text but drops a javascript: target", () => {
    expect(parseInline("[click me](javascript:alert)", HOSTS)).toEqual([{ k: "text", v: "click me" }]);
    expect(parseInline("[x](data:text/html;base64,PHNjcmlwdD4=)", HOSTS)).toEqual([{ k: "text", v: "x" }]);
    // Parentheses in the target never form a link at all: the whole thing stays literal text.
    expect(parseInline("[click me](javascript:alert(1))", HOSTS)).toEqual([
      { k: "text", v: "[click me](javascript:alert(1))" },
    ]);
  });

  it("links bare URLs without their trailing punctuation", () => {
    expect(parseInline("Track it at https://track.fernhill.example/dhl/0034. Thanks", HOSTS)).toEqual([
      { k: "text", v: "Track it at " },
      {
        k: "a",
        href: "https://track.fernhill.example/dhl/0034",
        text: "https://track.fernhill.example/dhl/0034",
      },
      { k: "text", v: ". Thanks" },
    ]);
  });

  it("treats HTML as text", () => {
    expect(parseInline('<img src=x onerror="alert(1)"> <b>hi</b>', HOSTS)).toEqual([
      { k: "text", v: '<img src=x onerror="alert(1)"> <b>hi</b>' },
    ]);
  });

  it("allows links inside bold but not bold inside bold", () => {
    expect(parseInline("**see [Returns](https://x.example/r)**", HOSTS)).toEqual([
      {
        k: "b",
        c: [
          { k: "text", v: "see " },
          { k: "a", href: "https://x.example/r", text: "Returns" },
        ],
      },
    ]);
  });

  it("leaves an unclosed marker as text", () => {
    expect(parseInline("2 ** 3 and [not a link", HOSTS)).toEqual([
      { k: "text", v: "2 ** 3 and [not a link" },
    ]);
  });
});

describe("parseMarkdown", () => {
  it("splits paragraphs on blank lines and keeps single line breaks", () => {
    expect(parseMarkdown("Hello\nthere\n\nSecond", HOSTS)).toEqual([
      { k: "p", c: [{ k: "text", v: "Hello" }, { k: "br" }, { k: "text", v: "there" }] },
      { k: "p", c: [{ k: "text", v: "Second" }] },
    ]);
  });

  it("reads bullet and numbered lists, with continuation lines", () => {
    expect(
      parseMarkdown("Steps:\n1. Sign in\n2. Open **Orders**\n   then pick one\n\n- a\n* b", HOSTS),
    ).toEqual([
      { k: "p", c: [{ k: "text", v: "Steps:" }] },
      {
        k: "ol",
        items: [
          [{ k: "text", v: "Sign in" }],
          [
            { k: "text", v: "Open " },
            { k: "b", c: [{ k: "text", v: "Orders" }] },
            { k: "text", v: " then pick one" },
          ],
        ],
      },
      { k: "ul", items: [[{ k: "text", v: "a" }], [{ k: "text", v: "b" }]] },
    ]);
  });

  it("starts a new list when the kind changes", () => {
    const blocks = parseMarkdown("- a\n1. b", HOSTS);
    expect(blocks.map((b) => b.k)).toEqual(["ul", "ol"]);
  });

  it("reads headings as bold paragraphs", () => {
    expect(parseMarkdown("## Returns\ntext", HOSTS)).toEqual([
      { k: "p", c: [{ k: "b", c: [{ k: "text", v: "Returns" }] }] },
      { k: "p", c: [{ k: "text", v: "text" }] },
    ]);
  });

  it("normalises CRLF and ignores empty input", () => {
    expect(parseMarkdown("a\r\n\r\nb", HOSTS)).toHaveLength(2);
    expect(parseMarkdown("", HOSTS)).toEqual([]);
    expect(parseMarkdown("\n\n", HOSTS)).toEqual([]);
  });
});

describe("plainText", () => {
  it("is what a screen reader should hear", () => {
    expect(
      plainText(parseMarkdown("**Order FH-1** has shipped.\n\n- DHL\n- [Track](https://t.example)", HOSTS)),
    ).toBe("Order FH-1 has shipped. DHL; Track");
  });
});

describe("links outside the allowlist (the widget refuses them itself)", () => {
  const links = (text: string) =>
    parseMarkdown(text, HOSTS).flatMap((b) =>
      (b.k === "p" ? b.c : b.items.flat()).flatMap(function hrefs(n): string[] {
        return n.k === "a" ? [n.href] : n.k === "b" ? n.c.flatMap(hrefs) : [];
      }),
    );

  it.each([
    "[reset](https://evil.example/x",
    "Resethttps://evil.example/x",
    "_https://evil.example/x",
    "x]([https://evil.example/y](javascript:void)",
    "[Reset](https://evil.example/x)",
    "https://evil.example/x",
    "HTTPS://EVIL.EXAMPLE/x",
    "[ok](https://fernhill.example.evil.example/x)",
    "[ok](https://fernhill.example@evil.example/x)",
    "**[bold](https://evil.example/x)**",
    "- [item](https://evil.example/x)",
  ])("renders %s with no link", (text) => {
    expect(links(text)).toEqual([]);
  });

  it("still links allowed hosts and their subdomains", () => {
    expect(links("[a](https://help.fernhill.example/a) and https://track.fernhill.example/t")).toEqual([
      "https://help.fernhill.example/a",
      "https://track.fernhill.example/t",
    ]);
  });

  it("links nothing without an allowlist", () => {
    expect(parseInline("[a](https://help.fernhill.example/a)", [])).toEqual([{ k: "text", v: "a" }]);
  });
});
