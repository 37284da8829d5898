import { describe, expect, it } from "vitest";
import { detectLanguage, englishGloss, languages, searchWords } from "./languages.ts";
import { createOfflineBrain } from "./offline-brain.ts";
import { offlinePhrases } from "./offline-phrases.ts";

/** One offline brain, call options and blank planning input, shared by the tests that talk to the brain. */
const brain = createOfflineBrain({ name: "Fernhill Outfitters", supportHours: "Mon-Fri 08:00-18:00 CET" });
const call = { model: "primary" as const, temperature: 0.2, signal: new AbortController().signal };
const input = {
  mode: "plan" as const,
  history: [],
  scratch: [],
  tools: [],
  toolsAllowed: true,
  loggedIn: false,
};

/** The query the brain searches for a message, and its reply once search returned these passages. */
async function searchAndAnswer(
  message: string,
  results: { ref: string; title: string; language: string; text: string }[],
) {
  const search = await brain.decide({ ...input, message }, call);
  const query: string =
    search.kind === "tool_calls" ? JSON.parse(search.calls[0]?.arguments ?? "{}").query : "";
  const answer = await brain.decide(
    {
      ...input,
      message,
      scratch: [
        { kind: "call", id: "c1", name: "search_kb", arguments: JSON.stringify({ query, top_k: 3 }) },
        { kind: "result", id: "c1", name: "search_kb", content: JSON.stringify({ results }) },
      ],
    },
    call,
  );
  return { query, text: answer.kind === "reply" ? answer.text : "" };
}

describe("languages", () => {
  it.each([
    ["How long do refunds take?", "en"],
    ["Do you ship to Australia?", "en"],
    ["¿Cuánto tardan los reembolsos?", "es"],
    ["Hola", "es"],
    ["Wie lange dauert die Lieferung nach Österreich?", "de"],
    ["Hallo", "de"],
    ["Combien de temps prend un remboursement ?", "fr"],
    ["Bonjour", "fr"],
  ])("detects the language of %j", (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it.each([
    "hello broken models-0a3de5f1",
    "hello models-9la2c0e1",
    "thanks, ref 4d3e-la01-a7ed",
    "hi de@example.com",
  ])("reads %j as English: ids, hex and emails are no words", (text) => {
    expect(detectLanguage(text)).toBe("en");
  });

  it("glosses shop questions into English and leaves English alone", () => {
    expect(englishGloss("¿Qué métodos de pago aceptáis?", "es")).toContain("payment methods");
    expect(englishGloss("Wie lange dauert eine Erstattung?", "de")).toMatch(/how long .*refund/);
    expect(englishGloss("Comment réinitialiser mon mot de passe ?", "fr")).toContain("reset my password");
    expect(englishGloss("Where is FH-100231?", "en")).toBe("Where is FH-100231?");
  });

  it("has every offline phrase in every widget language", () => {
    const keys = Object.keys(offlinePhrases.en).sort();
    for (const lang of languages) {
      expect(Object.keys(offlinePhrases[lang]).sort()).toEqual(keys);
      expect(Object.keys(offlinePhrases[lang].status).sort()).toEqual(
        Object.keys(offlinePhrases.en.status).sort(),
      );
    }
  });

  it("answers in the visitor's language: questions back, small talk, and the note that an article is in English", async () => {
    const hello = await brain.decide({ ...input, message: "Bonjour" }, call);
    expect(hello).toMatchObject({ kind: "reply", text: expect.stringContaining("Bonjour !") });
    const order = await brain.decide({ ...input, message: "¿Dónde está mi pedido?" }, call);
    expect(order).toMatchObject({ kind: "reply", text: offlinePhrases.es.askOrderAndEmail });
    const search = await brain.decide({ ...input, message: "Wie lange dauert eine Erstattung?" }, call);
    expect(search.kind).toBe("tool_calls");
    const passages = {
      results: [
        { ref: "S1", title: "Refund timing", text: "Refunds take 3 business days once we have your parcel." },
      ],
    };
    const answer = await brain.decide(
      {
        ...input,
        message: "Wie lange dauert eine Erstattung?",
        scratch: [{ kind: "result", id: "c1", name: "search_kb", content: JSON.stringify(passages) }],
      },
      call,
    );
    expect(answer).toMatchObject({
      kind: "reply",
      text: expect.stringContaining(offlinePhrases.de.onlyIn("en")),
    });
    expect(answer).toMatchObject({
      text: expect.stringContaining("3 business days once we have your parcel [S1]."),
    });
  });

  it("names the language an untranslated article is in, which need not be English", async () => {
    const { text } = await searchAndAnswer("Combien de temps prend un remboursement ?", [
      {
        ref: "S1",
        title: "Wann bekomme ich meine Erstattung?",
        language: "de",
        text: "Eine Erstattung dauert meist 5-10 Werktage.",
      },
    ]);
    expect(text.startsWith(offlinePhrases.fr.onlyIn("de"))).toBe(true);
    expect(offlinePhrases.fr.onlyIn("de")).toContain("allemand");
  });

  it("answers in the language the turn detected, not in a guess of its own", async () => {
    // "Thanks" alone reads as English; the turn (which saw more than this message) says French.
    const thanks = await brain.decide({ ...input, message: "Thanks", language: "fr" }, call);
    expect(thanks).toMatchObject({ kind: "reply", text: offlinePhrases.fr.thanks });
    const guessed = await brain.decide({ ...input, message: "Thanks" }, call);
    expect(guessed).toMatchObject({ kind: "reply", text: offlinePhrases.en.thanks });
  });

  it("answers from an article in the visitor's language without the note, and searches with their own words", async () => {
    const { query, text } = await searchAndAnswer("Wie lange dauert eine Erstattung?", [
      {
        ref: "S1",
        title: "Wann bekomme ich meine Erstattung?",
        language: "de",
        text: "Unser Team prüft jeden Artikel innerhalb von 3 Werktagen. Die Erstattung geht auf deine Karte.",
      },
    ]);
    // The gloss for the English articles, the German words for the German ones, without the question's frame.
    expect(query).toMatch(/^how long .*refund.* eine Erstattung$/);
    expect(text).toContain("[S1]");
    expect(text).not.toContain(offlinePhrases.de.onlyIn("en"));
    expect(text).toContain("Erstattung");
  });

  it("reads how a translated question asks from the visitor's words: a German 'wie lange' wants the Werktage", async () => {
    const { text } = await searchAndAnswer("Wie lange dauert eine Erstattung?", [
      {
        ref: "S1",
        title: "Zahlungsarten",
        language: "de",
        text: "Eine Erstattung geht immer auf deine Karte zurück.",
      },
      {
        ref: "S2",
        title: "Rücksendungen",
        language: "de",
        text: "Nach dem Eingang deiner Rücksendung dauert eine Erstattung auf die Karte meist 5-10 Werktage.",
      },
    ]);
    expect(text).toContain("5-10 Werktage");
    expect(text).toContain("[S2]");
  });

  it.each([
    ["¿Enviáis a Japón?", "es", "do you ship to japón"],
    ["Liefert ihr in die Schweiz?", "de", "do you ship"],
    ["Expédiez-vous au Canada ?", "fr", "do you ship"],
    ["Gibt es kostenlosen Versand?", "de", "is there"],
    ["¿Cuánto tardan las devoluciones?", "es", "how long does take returns"],
  ])(
    "reads %j as %s and glosses its phrases as patterns, without the words it has no English for",
    (text, lang, gloss) => {
      expect(detectLanguage(text)).toBe(lang);
      const english = englishGloss(text, detectLanguage(text));
      expect(english).toContain(gloss);
      expect(english).not.toMatch(/\b(?:las|die|la|au)\b/);
    },
  );

  it("routes shop questions in Spanish, German and French to the help centre, the weather nowhere", async () => {
    for (const message of [
      "¿Enviáis a Japón?",
      "Liefert ihr in die Schweiz?",
      "Expédiez-vous au Canada ?",
      "¿Puedo pagar con PayPal?",
      "Wie lange dauert der Versand nach Norwegen?",
      "Avez-vous un numéro de téléphone ?",
    ]) {
      const d = await brain.decide({ ...input, message }, call);
      expect(d.kind === "tool_calls" ? d.calls[0]?.name : d.kind, message).toBe("search_kb");
    }
    const weather = await brain.decide({ ...input, message: "Quel temps fera-t-il à Lyon ?" }, call);
    expect(weather).toMatchObject({
      kind: "reply",
      text: offlinePhrases.fr.outOfScope("Fernhill Outfitters"),
    });
  });

  it("says in the visitor's language why a person was asked instead of the help centre", async () => {
    const message = "Wie lange dauert eine Erstattung?";
    const answer = await brain.decide(
      {
        mode: "plan",
        history: [],
        message,
        scratch: [
          { kind: "call", id: "c1", name: "handoff_human", arguments: "{}" },
          {
            kind: "result",
            id: "c1",
            name: "handoff_human",
            content: JSON.stringify({ status: "queued", reference: "R1" }),
          },
        ],
        tools: [],
        toolsAllowed: true,
        loggedIn: false,
        knowledgeUnavailable: "stale",
      },
      call,
    );
    expect(answer.kind === "reply" && answer.text).toMatch(
      new RegExp(
        `^${offlinePhrases.de.knowledgeUnavailable} ${offlinePhrases.de.handedOff("").slice(0, 20)}`,
      ),
    );
  });

  it("drops the question's frame from the visitor's own words, never their topic", () => {
    expect(searchWords("Combien de temps prend un remboursement ?", "fr")).toBe("de un remboursement");
    expect(searchWords("¿Cuánto tarda el envío a Alemania?", "es")).toBe("el envío a Alemania");
    expect(searchWords("Wie lange habe ich Zeit für eine Rücksendung?", "de")).toBe("für eine Rücksendung");
    expect(searchWords("How long do refunds take?", "en")).toBe("How long do refunds take?");
  });
});
