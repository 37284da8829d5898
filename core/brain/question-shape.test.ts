import { describe, expect, it } from "vitest";
import { questionShape } from "./question-shape.ts";

const shape = (q: string) => questionShape(q, q.toLowerCase().replace(/[^a-z0-9 ]+/g, " "));

describe("questionShape", () => {
  it("asks a process question for days or weeks, and a length question for years too", () => {
    const repair = shape("How long does a repair take?").answerType;
    expect(repair?.test("Repairs take 3-4 weeks from arrival.")).toBe(true);
    expect(repair?.test("Faults within 5 years of delivery are repaired free.")).toBe(false);
    expect(shape("How long is the warranty?").answerType?.test("a 5-year Fernhill warranty")).toBe(true);
  });

  it("asks how often for a frequency and how much for an amount", () => {
    expect(shape("How often do you send newsletters?").answerType?.test("At most 2 emails a week.")).toBe(
      true,
    );
    expect(
      shape("How often do you send newsletters?").answerType?.test("We send a confirmation email."),
    ).toBe(false);
    const cost = shape("How much does delivery cost?").answerType;
    expect(cost?.test("Standard €4.95")).toBe(true);
    expect(cost?.test("Standard CHF 14.95")).toBe(true);
    expect(cost?.test("The checkout shows the price.")).toBe(false);
  });

  it("tells yes/no, list and how-to questions apart", () => {
    expect(shape("Hi, do you ship to Australia?").yesNo).toBe(true);
    expect(shape("Which payment methods do you accept?").listNoun).toBe("methods");
    expect(shape("My payment failed, what should I do?").howTo).toBe(true);
    expect(shape("Where is your warehouse?").answerType).toBeNull();
  });

  it("reads a glossed how-to ('how reset my password?' from Spanish or French) as a how-to", () => {
    expect(shape("how reset my password?").howTo).toBe(true);
    expect(shape("how change my delivery address?").howTo).toBe(true);
    expect(shape("how long takes a refund?").howTo).toBe(false);
    expect(shape("How much is express delivery?").howTo).toBe(false);
  });
});
