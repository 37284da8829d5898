import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSource } from "../source.ts";
import { fileRecord } from "./folder-source.ts";

let dir: string;

const article = (fields: Record<string, string>, body: string) =>
  `---\n${Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n")}\n---\n${body}`;

const good = {
  id: "kb-returns",
  title: "What is your returns policy?",
  section: "Returns & refunds",
  url: "https://help.example/articles/returns",
  updated_at: "2026-08-05",
  allowed_channels: "web, email",
  reviewed: "true",
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kb-sources-"));
  await mkdir(join(dir, "help", "nested"), { recursive: true });
  await writeFile(
    join(dir, "help", "returns.md"),
    article(good, "You can return items within 30 days.\n\n## Damaged items\nSend a photo."),
  );
  await writeFile(
    join(dir, "help", "bad-channel.md"),
    article({ ...good, id: "kb-bad", allowed_channels: "web, fax" }, "Body"),
  );
  await writeFile(join(dir, "help", "no-url.md"), article({ id: "kb-no-url", title: "No URL" }, "Body"));
  await writeFile(
    join(dir, "help", "nested", "page.html"),
    `<html><head><title>Page title</title></head><body><h1>Shipping</h1><p>We ship &amp; deliver.</p><h2>Costs</h2><ul><li>Free from €75</li></ul><script>x()</script></body></html>`,
  );
  await writeFile(join(dir, "help", "notes.txt"), "not content");
  await writeFile(
    join(dir, "docs.jsonl"),
    [
      JSON.stringify({ id: "a", title: "A", url: "https://x.example/a", text: "Alpha", extra: 1 }),
      "{not json",
      "",
      JSON.stringify({ id: "b", title: "B", url: "not a url", text: "Beta" }),
      JSON.stringify({
        id: "c",
        title: "C",
        url: "https://x.example/c",
        text: "Gamma",
        reviewed: false,
        allowed_channels: ["slack"],
      }),
      JSON.stringify({ id: "a", title: "A again", url: "https://x.example/a2", text: "Alpha 2" }),
    ].join("\n"),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("folder source", () => {
  it("reads Markdown and HTML recursively, skipping bad files with their names", async () => {
    const { records, issues } = await readSource({
      kind: "folder",
      path: join(dir, "help"),
      baseUrl: "https://help.example/",
    });
    expect(records.map((r) => r.id).sort()).toEqual(["kb-no-url", "kb-returns", "nested-page"]);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.location).toBe("bad-channel.md");
    expect(issues[0]?.line).toBe(7);
    expect(issues[0]?.message).toContain("allowed_channels");

    const returns = records.find((r) => r.id === "kb-returns");
    expect(returns).toMatchObject({
      title: good.title,
      section: "Returns & refunds",
      allowed_channels: ["email", "web"],
      reviewed: true,
    });
    expect(returns?.updated_at?.toISOString()).toBe("2026-08-05T00:00:00.000Z");
    expect(records.find((r) => r.id === "kb-no-url")?.url).toBe("https://help.example/no-url");

    const html = records.find((r) => r.id === "nested-page");
    expect(html?.title).toBe("Shipping");
    expect(html?.text).toBe("# Shipping\n\nWe ship & deliver.\n\n## Costs\n\n- Free from €75");
  });

  it("reports a missing URL when there is no base URL", () => {
    const result = fileRecord("x.md", article({ id: "x", title: "X" }, "Body"), { defaultReviewed: true });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issue.message).toContain("url");
  });

  it("reads a translation's language and source article, English by default, and refuses unknown languages", () => {
    const options = { defaultReviewed: true };
    const es = fileRecord(
      "es/returns.md",
      article(
        { ...good, id: "kb-returns.es", language: "ES", translation_of: "kb-returns" },
        "Tienes 30 días.",
      ),
      options,
    );
    expect(es.ok && es.record).toMatchObject({ language: "es", translation_of: "kb-returns" });
    const en = fileRecord("returns.md", article(good, "Body"), options);
    expect(en.ok && en.record).toMatchObject({ language: "en", translation_of: null });
    const italian = fileRecord("it/returns.md", article({ ...good, language: "it" }, "Corpo"), options);
    expect(italian.ok).toBe(false);
    if (!italian.ok)
      expect([italian.issue.line, italian.issue.message]).toEqual([9, expect.stringContaining("language")]);
    const itself = fileRecord("x.md", article({ ...good, translation_of: "kb-returns" }, "Body"), options);
    expect(itself.ok).toBe(false);
    if (!itself.ok) expect(itself.issue.message).toContain("translation_of names the document itself");
  });

  it("takes reviewed: false from the front matter", () => {
    const result = fileRecord("d.md", article({ ...good, reviewed: "false" }, "Draft"), {
      defaultReviewed: true,
    });
    expect(result.ok && result.record.reviewed).toBe(false);
  });
});

describe("jsonl source", () => {
  it("validates every line, reports bad lines by number, and keeps the first of duplicate ids", async () => {
    const { records, issues } = await readSource({ kind: "jsonl", path: join(dir, "docs.jsonl") });
    expect(records.map((r) => r.id)).toEqual(["a", "c"]);
    expect(records[0]?.title).toBe("A");
    expect(records[1]).toMatchObject({ reviewed: false, allowed_channels: ["slack"] });
    expect(issues.map((i) => [i.location, i.line])).toEqual([
      ["docs.jsonl", 2],
      ["docs.jsonl", 4],
      ["https://x.example/a2", null],
    ]);
    expect(issues[0]?.message).toBe("not valid JSON");
    expect(issues[1]?.message).toContain("url");
  });
});
