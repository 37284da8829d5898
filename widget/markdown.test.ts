import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown, plainText, safeHref } from "./markdown.ts";

describe("safeHref", () => {
  it.each([
    [
      "https://help.fernhill.example/articles/refund-timing",
      "https://help.fernhill.example/articles/refund-timing",
    ],
    ["http://example.com", "http://example.com/"],
    ["HTTPS://Example.com/a", "https://example.com/a"],
  ])("keeps the http(s) URL %s", (raw, href) => {
    expect(safeHref(raw)).toBe(href);
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
    expect(safeHref(raw)).toBeNull();
  });
});

describe("parseInline", () => {
  it("reads bold, links and plain text in order", () => {
    expect(
      parseInline("Refunds take **5-10 days** (See: [Refund timing](https://help.fernhill.example/r))"),
    ).toEqual([
      { k: "text", v: "Refunds take " },
      { k: "b", c: [{ k: "text", v: "5-10 days" }] },
      { k: "text", v: " (See: " },
      { k: "a", href: "https://help.fernhill.example/r", text: "Refund timing" },
      { k: "text", v: ")" },
    ]);
  });

  it("keeps a link's text but drops a javascript: target", () => {
    expect(parseInline("[click me](javascript:alert)")).toEqual([{ k: "text", v: "click me" }]);
    expect(parseInline("[x](data:text/html;base64,PHNjcmlwdD4=)")).toEqual([{ k: "text", v: "x" }]);
    // Parentheses in the target never form a link at all: the whole thing stays literal text.
    expect(parseInline("[click me](javascript:alert(1))")).toEqual([
      { k: "text", v: "[click me](javascript:alert(1))" },
    ]);
  });

  it("links bare URLs without their trailing punctuation", () => {
    expect(parseInline("Track it at https://track.fernhill.example/dhl/0034. Thanks")).toEqual([
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
    expect(parseInline('<img src=x onerror="alert(1)"> <b>hi</b>')).toEqual([
      { k: "text", v: '<img src=x onerror="alert(1)"> <b>hi</b>' },
    ]);
  });

  it("allows links inside bold but not bold inside bold", () => {
    expect(parseInline("**see [Returns](https://x.example/r)**")).toEqual([
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
    expect(parseInline("2 ** 3 and [not a link")).toEqual([{ k: "text", v: "2 ** 3 and [not a link" }]);
  });
});

describe("parseMarkdown", () => {
  it("splits paragraphs on blank lines and keeps single line breaks", () => {
    expect(parseMarkdown("Hello\nthere\n\nSecond")).toEqual([
      { k: "p", c: [{ k: "text", v: "Hello" }, { k: "br" }, { k: "text", v: "there" }] },
      { k: "p", c: [{ k: "text", v: "Second" }] },
    ]);
  });

  it("reads bullet and numbered lists, with continuation lines", () => {
    expect(parseMarkdown("Steps:\n1. Sign in\n2. Open **Orders**\n   then pick one\n\n- a\n* b")).toEqual([
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
    const blocks = parseMarkdown("- a\n1. b");
    expect(blocks.map((b) => b.k)).toEqual(["ul", "ol"]);
  });

  it("reads headings as bold paragraphs", () => {
    expect(parseMarkdown("## Returns\ntext")).toEqual([
      { k: "p", c: [{ k: "b", c: [{ k: "text", v: "Returns" }] }] },
      { k: "p", c: [{ k: "text", v: "text" }] },
    ]);
  });

  it("normalises CRLF and ignores empty input", () => {
    expect(parseMarkdown("a\r\n\r\nb")).toHaveLength(2);
    expect(parseMarkdown("")).toEqual([]);
    expect(parseMarkdown("\n\n")).toEqual([]);
  });
});

describe("plainText", () => {
  it("is what a screen reader should hear", () => {
    expect(
      plainText(parseMarkdown("**Order FH-1** has shipped.\n\n- DHL\n- [Track](https://t.example)")),
    ).toBe("Order FH-1 has shipped. DHL; Track");
  });
});
