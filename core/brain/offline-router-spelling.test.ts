import { describe, expect, it } from "vitest";
import { createSpeller, singleEdit } from "./offline-router-spelling.ts";

describe("singleEdit", () => {
  it("names the one edit between a typo and a known word", () => {
    expect(singleEdit("pakage", "package")).toBe("deletion");
    expect(singleEdit("packagge", "package")).toBe("insertion");
    expect(singleEdit("packaxe", "package")).toBe("substitution");
    expect(singleEdit("pakcage", "package")).toBe("swap");
    expect(singleEdit("package", "package")).toBeUndefined();
    expect(singleEdit("pkcgae", "package")).toBeUndefined();
  });
});

describe("speller", () => {
  const speller = createSpeller(
    new Map([
      ["package", 3],
      ["human", 2],
      ["refund", 2],
      ["tent", 1],
      ["play", 1],
    ]),
  );

  it("repairs typos one edit away from a known word", () => {
    expect(speller.correct("pakcage")).toBe("package");
    expect(speller.correct("humn")).toBe("human");
    expect(speller.correct("refnud")).toBe("refund");
  });

  it("leaves known, short, distant and plausible real words alone", () => {
    expect(speller.correct("refund")).toBe("refund");
    expect(speller.correct("tnt")).toBe("tnt");
    expect(speller.correct("weather")).toBe("weather");
    // A different first letter, or a substitution in a short word, is more likely a word we do not know.
    expect(speller.correct("rent")).toBe("rent");
    expect(speller.correct("plan")).toBe("plan");
  });
});
