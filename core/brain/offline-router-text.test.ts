import { describe, expect, it } from "vitest";
import { canonical, isFiller, mentionsCatalogue, normalise, stem } from "./offline-router-text.ts";

describe("normalise", () => {
  it("replaces emails, order numbers, amounts and digits by placeholders", () => {
    expect(normalise("Order #10443 for jo@example.com, $25.50 and 3 tents")).toEqual([
      "order",
      "qorder",
      "for",
      "qemail",
      "qmoney",
      "and",
      "qnum",
      "tents",
    ]);
    expect(normalise("FH-20931")).toEqual(["qorder"]);
    expect(normalise("refund of 40 dollars")).toEqual(["refund", "of", "qmoney"]);
  });

  it("expands shorthand, joins compounds and drops punctuation", () => {
    expect(normalise("Can't SIGN-UP, pls help u guys!!")).toEqual([
      "can",
      "not",
      "signup",
      "please",
      "help",
      "you",
      "guys",
    ]);
    expect(normalise("  ?!  ")).toEqual([]);
    expect(normalise("E-mail me my money back")).toEqual(["email", "me", "my", "refund"]);
  });

  it("passes unknown words through the repair function before joining compounds", () => {
    const repair = (word: string) => (word === "mony" ? "money" : word);
    expect(normalise("mony back, ur shop", repair)).toEqual(["refund", "your", "shop"]);
  });
});

describe("stem and canonical", () => {
  it("makes inflections meet", () => {
    expect(stem("shipping")).toBe(stem("shipped"));
    expect(stem("ships")).toBe(stem("ship"));
    expect(stem("cancelled")).toBe(stem("cancel"));
    expect(stem("addresses")).toBe(stem("address"));
  });

  it("maps shop synonyms to one stem", () => {
    expect(canonical("receipt")).toBe(canonical("invoices"));
    expect(canonical("reimbursement")).toBe(canonical("refund"));
    expect(canonical("purchase")).toBe(canonical("orders"));
    expect(canonical("weather")).toBe(stem("weather"));
  });

  it("knows filler words and catalogue words", () => {
    expect(isFiller("please")).toBe(true);
    expect(isFiller("refund")).toBe(false);
    expect(mentionsCatalogue(["do", "the", "gaiters", "fit"])).toBe(true);
    expect(mentionsCatalogue(["bottled", "water"])).toBe(false);
  });
});
