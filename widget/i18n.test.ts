import { describe, expect, it } from "vitest";
import { pickLang, strings } from "./i18n.ts";

describe("pickLang", () => {
  it("prefers data-lang over the browser", () => {
    expect(pickLang("de", ["es-ES", "en"])).toBe("de");
  });

  it("falls back to the browser's languages, by base language", () => {
    expect(pickLang(null, ["es-MX", "en"])).toBe("es");
    expect(pickLang(undefined, ["pt-BR", "de_AT"])).toBe("de");
    expect(pickLang("", ["FR-ca"])).toBe("fr");
  });

  it("ignores an unsupported data-lang and ends with English", () => {
    expect(pickLang("xx", ["ja", "zh"])).toBe("en");
    expect(pickLang("toString", [])).toBe("en");
    expect(pickLang("__proto__", [])).toBe("en");
  });
});

describe("strings", () => {
  const english = Object.keys(strings.en).sort();

  it.each(Object.entries(strings))("%s has every key, none empty", (_lang, table) => {
    expect(Object.keys(table).sort()).toEqual(english);
    for (const value of Object.values(table)) expect(value.trim()).not.toBe("");
  });

  it("translates rather than copying English", () => {
    for (const lang of ["es", "de", "fr"] as const) {
      expect(strings[lang].talkToPerson).not.toBe(strings.en.talkToPerson);
      expect(strings[lang].send).not.toBe(strings.en.send);
    }
  });
});
