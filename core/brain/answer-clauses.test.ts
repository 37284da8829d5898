import { describe, expect, it } from "vitest";
import { askedPredicate, countedStems, isConditional, saysNo, statesPredicate } from "./answer-clauses.ts";

describe("answer clauses", () => {
  it("reads no from what a sentence asserts, not from its conditions or reasons", () => {
    expect(saysNo("We can change the address as long as the parcel hasn't been packed.")).toBe(false);
    expect(saysNo("If they don't, their delivery charge counts.")).toBe(false);
    expect(saysNo("If you don't pay the import charges, we refund the items minus the shipping cost.")).toBe(
      false,
    );
    expect(saysNo("The original delivery charge is not refunded unless the problem was caused by us.")).toBe(
      true,
    );
    expect(saysNo("Once the parcel is with the carrier, we can no longer change the address.")).toBe(true);
  });

  it("tells a conditional answer from an outright one", () => {
    expect(isConditional("If you return only some of the items, the delivery charge isn't refunded.")).toBe(
      true,
    );
    expect(isConditional("Codes can't be combined with each other.")).toBe(false);
  });

  it("finds the verb a yes/no question or a how-to asks about", () => {
    expect(askedPredicate("can i change my delivery address after ordering")).toBe("chang");
    expect(askedPredicate("do i have to pay import vat")).toBe("pay");
    expect(askedPredicate("do i need an account to order")).toBe("need");
    expect(askedPredicate("how do i exchange an item for a different size")).toBe("exchang");
    expect(askedPredicate("is there free shipping")).toBeNull();
  });

  it("knows a sentence that states the asked verb from one that only uses it", () => {
    expect(statesPredicate("You don't need an account to shop with us.", "need")).toBe(true);
    expect(statesPredicate("We can no longer change the address.", "chang")).toBe(true);
    expect(statesPredicate("Opened cartridges can't be returned for hygiene reasons.", "return")).toBe(true);
    expect(
      statesPredicate("To change an address for future orders, go to Account > Addresses.", "chang"),
    ).toBe(false);
    expect(statesPredicate("Whether we can change your address depends on its status.", "chang")).toBe(false);
  });

  it("reads what a text counts", () => {
    expect([...countedStems("Can I use two discount codes on one order?")]).toEqual(
      expect.arrayContaining(["discount", "code"]),
    );
    expect(countedStems("One code per order.").has("code")).toBe(true);
    expect(countedStems("Codes can't be combined.").size).toBe(0);
  });
});
