import { describe, expect, it } from "vitest";
import { progressBar } from "./progress-bar.ts";

describe("progressBar", () => {
  it("redraws one line on a terminal and ends it when done", () => {
    const writes: string[] = [];
    const bar = progressBar({ isTTY: true, columns: 100, write: (t) => writes.push(t) }, "docs");
    bar.update({ phase: "index", done: 5, total: 10 });
    bar.done();
    expect(writes[0]).toMatch(/^\rdocs .* 50% chunking, embedding, writing 5\/10 docs/);
    expect(writes.at(-1)).toBe("\n");
  });

  it("writes a line per phase and per tenth of the work in a log", () => {
    const writes: string[] = [];
    const bar = progressBar({ isTTY: false, write: (t) => writes.push(t) }, "docs");
    bar.update({ phase: "read", done: 0, total: 1 });
    bar.update({ phase: "read", done: 1, total: 1 });
    for (let done = 1; done <= 100; done++) bar.update({ phase: "index", done, total: 100 });
    bar.done();
    expect(writes[0]).toBe("docs: reading source\n");
    expect(writes.filter((w) => w.includes("chunking")).length).toBe(11);
  });
});
