import { describe, expect, it } from "vitest";
import { hasOtherThreads, RESTORE_WITHIN_MS, threadChoices, threadToRestore } from "./recent-threads.ts";

const now = Date.parse("2026-03-10T12:00:00Z");
const at = (msAgo: number) => new Date(now - msAgo).toISOString();
const thread = (id: string, msAgo: number, status: "open" | "handoff" | "closed" = "open") => ({
  thread_id: id,
  status,
  updated_at: at(msAgo),
  preview: `Reply in ${id}`,
});

describe("threadToRestore", () => {
  it("picks the most recently updated thread, whatever the order", () => {
    expect(threadToRestore([thread("a", 60_000), thread("b", 1000), thread("c", 3_600_000)], now)).toBe("b");
  });

  it("skips closed threads and ones older than a week", () => {
    expect(threadToRestore([thread("a", 1000, "closed"), thread("b", 5000, "handoff")], now)).toBe("b");
    expect(threadToRestore([thread("old", RESTORE_WITHIN_MS + 1)], now)).toBeNull();
    expect(threadToRestore([thread("edge", RESTORE_WITHIN_MS)], now)).toBe("edge");
  });

  it("is null for no threads or unreadable dates", () => {
    expect(threadToRestore([], now)).toBeNull();
    expect(threadToRestore([{ ...thread("a", 0), updated_at: "yesterday" }], now)).toBeNull();
  });
});

describe("hasOtherThreads", () => {
  it("is true only when a thread other than the one shown exists", () => {
    expect(hasOtherThreads([thread("a", 0)], "a")).toBe(false);
    expect(hasOtherThreads([thread("a", 0)], null)).toBe(true);
    expect(hasOtherThreads([thread("a", 0), thread("b", 1)], "a")).toBe(true);
    expect(hasOtherThreads([], null)).toBe(false);
  });
});

describe("threadChoices", () => {
  it("labels each thread with its reply as plain text and a date in the widget's language", () => {
    const [choice] = threadChoices(
      [{ ...thread("a", 0), preview: "Order **FH-100231** has [shipped](https://x.example)." }],
      "de",
      "Unterhaltung",
    );
    expect(choice).toEqual({
      id: "a",
      preview: "Order FH-100231 has shipped.",
      when: new Intl.DateTimeFormat("de", { dateStyle: "medium", timeStyle: "short" }).format(now),
    });
    expect(choice?.when).toMatch(/10\.03\.2026/);
  });

  it("drops a link or bold the server's cut left half open", () => {
    const choices = threadChoices(
      [
        {
          ...thread("a", 0),
          preview: "You can exchange it (See: [Which size should I](https://help.example/a",
        },
        { ...thread("b", 0), preview: "See [Returns" },
        { ...thread("c", 0), preview: "Your order is **ship" },
      ],
      "en",
      "Conversation",
    );
    expect(choices.map((c) => c.preview)).toEqual([
      "You can exchange it (See: Which size should I",
      "See Returns",
      "Your order is ship",
    ]);
  });

  it("falls back when there is no reply yet or no valid date", () => {
    const [choice] = threadChoices(
      [{ ...thread("a", 0), preview: "  ", updated_at: "?" }],
      "en",
      "Conversation",
    );
    expect(choice).toEqual({ id: "a", preview: "Conversation", when: "" });
  });
});
