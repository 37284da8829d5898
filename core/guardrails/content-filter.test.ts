import { describe, expect, it } from "vitest";
import { flagContent } from "./content-filter.ts";

describe("content filter", () => {
  it("flags self-harm and abuse in English, Spanish and German", () => {
    expect(flagContent("honestly I want to end it all")).toBe("self_harm");
    expect(flagContent("a veces quiero morir")).toBe("self_harm");
    expect(flagContent("Ich will nicht mehr leben")).toBe("self_harm");
    expect(flagContent("fuck you, stupid bot")).toBe("abuse");
    expect(flagContent("I'll find you and hurt you")).toBe("abuse");
  });

  it("leaves ordinary shop questions alone, even annoyed ones", () => {
    for (const message of [
      "This jacket is killing me, the zip broke again!",
      "my order is late and I'm really angry",
      "can I return boots that hurt my feet?",
      "How do I kill the stove flame safely?",
    ]) {
      expect(flagContent(message)).toBeNull();
    }
  });
});
