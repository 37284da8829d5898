import { describe, expect, it } from "vitest";
import { createShopIndex, isShopQuestion } from "./shop-index.ts";

const shop = createShopIndex([
  {
    title: "How do I use my Clearbrook water filter?",
    text: "## When to replace the cartridge\nA cartridge filters about 1,500 litres. The **Clearbrook Cartridge** costs €19.\n## Never let it freeze\nIce cracks the fibres.",
  },
  {
    title: "Delivery times",
    text: "## Dispatch\nOrders placed by 14:00 on a business day leave the same day.",
  },
]);

describe("shop index", () => {
  it("finds the section holding a question's words, rare words weighing most", () => {
    const match = shop.match("How many litres does a Clearbrook cartridge filter?");
    expect(match.coverage).toBeGreaterThan(0.7);
    expect(match.matched).toEqual(expect.arrayContaining(["litr", "clearbrook", "cartridg"]));
    // Its names and headings are the shop's terms; "litres" in running text is not one.
    expect(match.terms).toEqual(expect.arrayContaining(["clearbrook", "cartridg"]));
    expect(match.terms).not.toContain("litr");
  });

  it("reads a section's price as the answer to what something costs", () => {
    const withPrice = shop.match("what does the clearbrook cartridge cost");
    const withoutPrice = shop.match("what does the clearbrook cartridge weigh");
    expect(withPrice.matched).toContain("cost");
    expect(withPrice.coverage).toBeGreaterThan(withoutPrice.coverage);
  });

  it("matches within one section, not across an article", () => {
    // "freeze" and "replace" sit in two sections of the same article.
    expect(shop.match("replace cartridge freeze").coverage).toBeLessThan(1);
  });

  it("keeps a message only when it is strong, has three words and a shop term no routing example uses", () => {
    const known = new Set(["time", "day", "same", "order"]);
    expect(isShopQuestion(shop.match("does a clearbrook cartridge filter 1,500 litres?"), known)).toBe(true);
    expect(isShopQuestion(shop.match("what time is it the same day in tokyo"), known)).toBe(false);
    expect(isShopQuestion(shop.match("clearbrook?"), known)).toBe(false);
    expect(shop.match("")).toEqual({ coverage: 0, matched: [], terms: [] });
  });
});
