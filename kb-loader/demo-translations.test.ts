/**
 * The demo help centre's translations (demo/help-centre/{es,de,fr}) as kb-loader reads them: each one names an
 * English article it translates, keeps that article's metadata, states exactly the same figures (prices, days,
 * times, dates; "39,95 €" for "€39.95" and "1.500" for "1,500" count as the same number), has the same sections,
 * table rows and list items, and links only to articles that exist.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { KbRecord } from "./kb-record.ts";
import { readSource } from "./source.ts";

const helpCentre = fileURLToPath(new URL("../demo/help-centre", import.meta.url));
const { records, issues } = await readSource({ kind: "folder", path: helpCentre });
const originals = new Map(records.filter((r) => r.translation_of === null).map((r) => [r.id, r]));
const translations = records.filter((r) => r.translation_of !== null);

/** Every number in the text, separators read as the text's language writes them, sorted. */
function figures(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/\d+(?:[.,\u00a0\u202f ]\d+)*/g)) {
    // A group of three digits after a separator is thousands in every language here; two digits are cents.
    const parts = match[0].split(/[.,\u00a0\u202f ]/);
    let number = parts[0] ?? "";
    for (const part of parts.slice(1)) {
      if (part.length === 3) number += part;
      else if (part.length === 2) number += `.${part}`;
      else {
        out.push(number);
        number = part;
      }
    }
    out.push(number);
  }
  return out.sort();
}

function shape(text: string) {
  const lines = text.split("\n").map((l) => l.trim());
  return {
    headings: lines.filter((l) => l.startsWith("## ")).length,
    tableRows: lines.filter((l) => l.startsWith("|")).length,
    listItems: lines.filter((l) => /^(?:[-*]|\d+\.)\s/.test(l)).length,
  };
}

const links = (text: string) => [...text.matchAll(/\]\((https?:[^)]+)\)/g)].map((m) => m[1] ?? "");

describe("demo help-centre translations", () => {
  it("load without issues, at least the most asked articles in every language", () => {
    expect(issues).toEqual([]);
    for (const language of ["es", "de", "fr"] as const) {
      const have = translations.filter((t) => t.language === language).map((t) => t.translation_of);
      expect(have).toEqual(
        expect.arrayContaining([
          "kb-shipping-regions-and-costs",
          "kb-payment-methods",
          "kb-returns-policy",
          "kb-refund-timing",
          "kb-delivery-times",
          "kb-return-shipping-costs",
        ]),
      );
    }
  });

  it.each(translations.map((t) => [t.id, t] as const))("%s keeps its article's facts", (_id, t: KbRecord) => {
    const source = originals.get(t.translation_of ?? "");
    expect(source, `translation_of ${t.translation_of}`).toBeDefined();
    if (!source) return;
    expect(source.language).toBe("en");
    expect(t.id).toBe(`${source.id}.${t.language}`);
    expect(t.url).toBe(source.url.replace("/articles/", `/${t.language}/articles/`));
    expect([t.updated_at, t.allowed_channels, t.reviewed]).toEqual([
      source.updated_at,
      source.allowed_channels,
      source.reviewed,
    ]);
    expect(figures(t.text)).toEqual(figures(source.text));
    expect(shape(t.text)).toEqual(shape(source.text));
    const known = new Set(records.map((r) => r.url));
    for (const link of links(t.text).filter((l) => l.includes("help.fernhill.example")))
      expect(known, link).toContain(link);
  });

  it("reads figures the way each language writes them", () => {
    expect(figures("€39.95, €20-1,500, 14:00")).toEqual(figures("39,95 €, 20-1.500 €, 14 h 00"));
    expect(figures("de 20 à 1 500 €")).toEqual(["1500", "20"]);
    expect(figures("€4.95")).not.toEqual(figures("4,59 €"));
  });
});
