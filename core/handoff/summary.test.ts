import { describe, expect, it } from "vitest";
import { extractiveSummary, summaryLine } from "./summary.ts";

describe("extractive handoff summary", () => {
  const messages = [
    {
      role: "user",
      content: "Hi, my tent pole arrived broken. Order FH-100231, email Ana.Kovac@example.com",
    },
    {
      role: "assistant",
      content: "Sorry to hear that! Damaged items can be returned… (See: Damaged items)",
      citations: [{ title: "Damaged or faulty items" }, { title: "Damaged or faulty items" }],
    },
    { role: "user", content: "I'd like to talk to a person, please." },
    { role: "assistant", content: "A member of our team will take over." },
  ];

  it("says why, what the visitor wants, the order numbers and emails they gave, and what was answered", () => {
    const summary = extractiveSummary({
      reason: "Visitor asked for a person",
      messages,
      toolCalls: [
        {
          tool: "get_order",
          status: "succeeded",
          result: { found: true, order: { order_number: "FH-100231", status: "shipped" } },
        },
      ],
    });
    expect(summary).toEqual({
      source: "extractive",
      why: "Visitor asked for a person",
      wants: "Hi, my tent pole arrived broken. Order FH-100231, email Ana.Kovac@example.com",
      order_numbers: ["FH-100231"],
      emails: ["ana.kovac@example.com"],
      answered: ["Answered from Damaged or faulty items", "Looked up an order: FH-100231 is shipped"],
    });
    expect(summaryLine(summary)).toBe("Visitor asked for a person");
  });

  it("skips a message that only asks for a person when saying what the visitor wants", () => {
    const summary = extractiveSummary({
      reason: null,
      messages: [
        { role: "user", content: "Can I speak to a human?" },
        { role: "user", content: "My refund for #20931 never arrived" },
      ],
      toolCalls: [{ tool: "get_order", status: "failed" }],
    });
    expect(summary.wants).toBe("My refund for #20931 never arrived");
    expect(summary.order_numbers).toEqual(["#20931"]);
    expect(summary.answered).toEqual(["Tried to look up an order: the lookup failed"]);
    expect(summaryLine(summary)).toBe("My refund for #20931 never arrived");
  });

  it("takes nothing from the bot's or staff's words as the visitor's details", () => {
    const summary = extractiveSummary({
      reason: null,
      messages: [
        { role: "assistant", content: "Write to help@fernhill.example about FH-999999" },
        { role: "staff", content: "or maya@fernhill.example" },
      ],
      toolCalls: [],
    });
    expect(summary).toMatchObject({ wants: null, order_numbers: [], emails: [] });
  });
});
