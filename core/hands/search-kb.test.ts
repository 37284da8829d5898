import { describe, expect, it } from "vitest";
import type { Language } from "../contracts/language.ts";
import type { HandContext } from "./define-hand.ts";
import type { HandPorts, KbHit } from "./ports.ts";
import { searchKb } from "./search-kb.ts";

const hit: KbHit = {
  chunkId: "c1",
  docId: "kb-refund-timing",
  language: "es",
  title: "¿Cuándo recibiré mi reembolso?",
  section: "Devoluciones y reembolsos",
  url: "https://help.fernhill.example/es/articles/refund-timing",
  snippet: "Revisamos cada artículo en un plazo de 3 días hábiles.",
  score: 1,
};

function context(language: Language | undefined, asked: (Language | undefined)[]): HandContext {
  const kb = {
    async search(_query: string, options: { language?: Language }) {
      asked.push(options.language);
      return [hit];
    },
  };
  return {
    callId: "call_1",
    threadId: "t1",
    channel: "web",
    identity: null,
    ...(language ? { language } : {}),
    now: new Date(),
    signal: new AbortController().signal,
    ports: { kb } as unknown as HandPorts,
  };
}

describe("search_kb", () => {
  it("searches in the turn's language and says which language each passage is in", async () => {
    const asked: (Language | undefined)[] = [];
    const out = await searchKb.run({ query: "reembolsos", top_k: null }, context("es", asked));
    expect(asked).toEqual(["es"]);
    expect(out.results).toEqual([
      {
        chunk_id: "c1",
        doc_id: "kb-refund-timing",
        title: hit.title,
        section: hit.section,
        url: hit.url,
        language: "es",
        snippet: hit.snippet,
      },
    ]);
    // A turn that names no language is searched in the help centre's own, English.
    await searchKb.run({ query: "refunds", top_k: null }, context(undefined, asked));
    expect(asked).toEqual(["es", "en"]);
  });
});
