import { describe, expect, it } from "vitest";
import { handoffClass } from "./handoff-classes.ts";

describe("handoff classes", () => {
  it.each([
    "the canister on my burner is hissing and smells of gas",
    "gas is escaping from the valve of my camping stove",
    "my headlamp battery is swollen and very hot",
    "the lantern caught fire in the porch of the tent",
    "i got burned when the cooker flared up",
    "the trekking pole snapped and i fell on the rocks",
    "we had carbon monoxide symptoms after cooking in the tent",
  ])("hands the hazard %j to a person", (message) => {
    expect(handoffClass(message)).toBe("safety");
  });

  it.each([
    "you took the money twice for one order",
    "my bank shows the same payment three times",
    "there's a charge on my card i don't recognise",
    "i was double charged at checkout",
    "i want to dispute a charge from you",
  ])("hands the payment dispute %j to a person", (message) => {
    expect(handoffClass(message)).toBe("payment_dispute");
  });

  it.each([
    // Questions the help centre answers, and hazards that are not the shop's kit.
    "is the stove safe to use in a tent?",
    "what should i do if my canister leaks gas?",
    "how do you fix a leaking sink",
    "what type of gas should i use",
    "my feet swell in these boots on long walks",
    "i fell in love with the green jacket",
    // Money words without a dispute.
    "i paid for a double sleeping bag",
    "send me a quote from a motivational speaker twice a day",
    "my payment didn't go through",
    "when is my card charged?",
  ])("leaves the ordinary %j to the router", (message) => {
    expect(handoffClass(message)).toBeNull();
  });
});
