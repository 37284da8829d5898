import { encode } from "gpt-tokenizer/encoding/cl100k_base";
import { describe, expect, it } from "vitest";
import { chunkText, countTokens, splitSections, tokenWindows } from "./chunker.ts";

const sentence = (i: number) =>
  `Sentence number ${i} explains how returns, refunds and exchanges work at the shop.`;
const paragraph = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => sentence(from + i)).join(" ");

describe("splitSections", () => {
  it("cuts at headings and keeps the heading path, ignoring headings inside code fences", () => {
    const text = [
      "Intro text.",
      "## Returns",
      "Return within 30 days.",
      "### Damaged items",
      "Send a photo.",
      "```",
      "## not a heading",
      "```",
      "## Refunds",
      "Refunds take 5 days.",
    ].join("\n");
    const sections = splitSections(text, "Title");
    expect(sections.map((s) => s.path)).toEqual(["", "Returns", "Returns > Damaged items", "Refunds"]);
    expect(sections[2]?.text).toContain("## not a heading");
  });

  it("leaves a top heading that repeats the title out of the path", () => {
    const sections = splitSections("# Boot sizing\nText\n## Widths\nMore", "Boot sizing");
    expect(sections.map((s) => s.path)).toEqual(["", "Widths"]);
  });
});

describe("chunkText", () => {
  it("packs small sections together and starts a new chunk at a heading once the chunk is big enough", () => {
    const small = ["## A", paragraph(0, 3), "## B", paragraph(3, 3), "## C", paragraph(6, 3)].join("\n");
    const chunks = chunkText(small, "Doc");
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.sectionPath).toBe("A");
    expect(chunks[0]?.text).toContain("## C");

    // Each section is ~560 tokens: above the 512 minimum, so every heading starts a new chunk.
    const big = ["## A", paragraph(0, 30), "## B", paragraph(30, 30), "## C", paragraph(60, 30)].join("\n");
    const bigChunks = chunkText(big, "Doc");
    expect(bigChunks.map((c) => c.sectionPath)).toEqual(["A", "B", "C"]);
    for (const chunk of bigChunks) expect(chunk.tokenCount).toBeLessThanOrEqual(800);
  });

  it("splits a long section into 512-800 token windows overlapping by at least 80 tokens", () => {
    const text = `## Long\n${paragraph(0, 150)}`;
    const total = countTokens(text);
    expect(total).toBeGreaterThan(2400);
    const chunks = chunkText(text, "Doc");
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    for (const chunk of chunks) {
      expect(chunk.sectionPath).toBe("Long");
      expect(chunk.tokenCount).toBeLessThanOrEqual(800);
      expect(chunk.tokenCount).toBeGreaterThanOrEqual(512);
    }
    for (let i = 1; i < chunks.length; i++) {
      const previous = chunks[i - 1]?.text ?? "";
      const current = chunks[i]?.text ?? "";
      // The start of each window repeats the end of the previous one.
      const head = current.slice(0, 200);
      expect(previous).toContain(head.slice(0, head.lastIndexOf(" ")));
    }
    expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i));
  });

  it("covers every token of the section and cuts at word starts", () => {
    const tokens = encode(paragraph(0, 80));
    const windows = tokenWindows(tokens, { minTokens: 512, maxTokens: 800, overlapTokens: 80 });
    const joined = windows.map((w) => w.text).join(" ");
    for (let i = 0; i < 80; i++) expect(joined).toContain(`Sentence number ${i} `);
    for (const w of windows) expect(w.text).toMatch(/^Sentence|^[a-z,]+/);
    // Overlap: consecutive windows share at least 80 tokens, so the sum exceeds the total by 80 per boundary.
    const sum = windows.reduce((n, w) => n + w.tokens, 0);
    expect(sum - tokens.length).toBeGreaterThanOrEqual(80 * (windows.length - 1));
    expect(sum - tokens.length).toBeLessThanOrEqual((80 + 48) * (windows.length - 1));
  });

  it("counts with the cl100k tokenizer, not characters", () => {
    expect(countTokens("refund")).toBe(1);
    expect(countTokens("Hello world, this is a test.")).toBe(encode("Hello world, this is a test.").length);
    expect(countTokens("<|endoftext|>")).toBeGreaterThan(1);
  });
});
