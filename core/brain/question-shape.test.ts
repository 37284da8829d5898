import { describe, expect, it } from "vitest";
import { questionShape } from "./question-shape.ts";

const shape = (q: string) => questionShape(q);

describe("questionShape", () => {
  it("asks a process question for days or weeks, and a length question for years too", () => {
    const repair = shape("How long does a repair take?").answerType;
    expect(repair?.test("Repairs take 3-4 weeks from arrival.")).toBe(true);
    expect(repair?.test("Faults within 5 years of delivery are repaired free.")).toBe(false);
    expect(shape("How long is the warranty?").answerType?.test("a 5-year Fernhill warranty")).toBe(true);
  });

  it("asks how often for a frequency and how much for an amount", () => {
    expect(shape("How often do you send newsletters?").answerType?.test("At most 2 emails a week.")).toBe(
      true,
    );
    expect(
      shape("How often do you send newsletters?").answerType?.test("We send a confirmation email."),
    ).toBe(false);
    const cost = shape("How much does delivery cost?").answerType;
    expect(cost?.test("Standard €4.95")).toBe(true);
    expect(cost?.test("Standard CHF 14.95")).toBe(true);
    expect(cost?.test("The checkout shows the price.")).toBe(false);
  });

  it("tells yes/no, list and how-to questions apart", () => {
    expect(shape("Hi, do you ship to Australia?").yesNo).toBe(true);
    expect(shape("Which payment methods do you accept?").listNoun).toBe("methods");
    expect(shape("My payment failed, what should I do?").howTo).toBe(true);
    expect(shape("Where is your warehouse?").answerType).toBeNull();
  });

  it.each([
    ["¿Hacéis envíos a Australia?", "es", true],
    ["Hola, ¿es impermeable la zapatilla Scree Low?", "es", true],
    ["¿Cuánto tardan los reembolsos?", "es", false],
    ["¿A qué países enviáis?", "es", false],
    ["Versendet ihr nach Australien?", "de", true],
    ["Ist die Rücksendung kostenlos?", "de", true],
    ["Bis wann kann ich zurückschicken?", "de", false],
    ["Welche Zahlungsarten akzeptiert ihr?", "de", false],
    ["Livrez-vous en Australie ?", "fr", true],
    ["Est-ce que le retour est gratuit ?", "fr", true],
    ["Dans quels pays livrez-vous ?", "fr", false],
    ["Je veux parler à une personne", "fr", false],
  ] as const)("reads %j (%s) as a yes/no question: %s", (question, lang, yesNo) => {
    expect(questionShape(question, lang).yesNo).toBe(yesNo);
  });

  it("reads a how-to from how Spanish, German and French ask one, not from an English gloss", () => {
    expect(questionShape("¿Cómo restablezco mi contraseña?", "es").howTo).toBe(true);
    expect(questionShape("¿Qué tengo que hacer si mi pedido llega dañado?", "es").howTo).toBe(true);
    expect(questionShape("¿Cómo es el forro de la chaqueta?", "es").howTo).toBe(false);
    expect(questionShape("Wie ändere ich meine Lieferadresse?", "de").howTo).toBe(true);
    expect(questionShape("Wie lange habe ich Zeit für eine Rücksendung?", "de").howTo).toBe(false);
    expect(questionShape("Comment réinitialiser mon mot de passe ?", "fr").howTo).toBe(true);
    expect(questionShape("Que dois-je faire si mon colis est endommagé ?", "fr").howTo).toBe(true);
    expect(questionShape("Combien coûte la livraison en Belgique ?", "fr").howTo).toBe(false);
  });

  it("reads the value a Spanish, German or French question asks for, and finds it in any language's units", () => {
    const refund = questionShape("Wie lange dauert eine Erstattung?", "de").answerType;
    expect(refund?.test("Unser Team prüft jeden Artikel innerhalb von 3 Werktagen.")).toBe(true);
    expect(refund?.test("Refunds take 3 business days.")).toBe(true);
    expect(refund?.test("Die Garantie gilt 5 Jahre.")).toBe(false);
    expect(refund?.test("innerhalb deiner 30-tägigen Rückgabefrist")).toBe(false);
    const period = questionShape("Wie lange habe ich Zeit für eine Rücksendung?", "de").answerType;
    expect(period?.test("innerhalb deiner 30-tägigen Rückgabefrist")).toBe(true);
    const window = questionShape("¿Cuánto tiempo tengo para devolver un producto?", "es").answerType;
    expect(window?.test("Tienes 30 días desde la entrega.")).toBe(true);
    const price = questionShape("Combien coûte la livraison en Belgique ?", "fr").answerType;
    expect(price?.test("Reste de l'UE : 8,95 €")).toBe(true);
    expect(price?.test("Suisse : 14,95 CHF")).toBe(true);
    expect(price?.test("Le tunnel de commande affiche le prix.")).toBe(false);
    const often = questionShape("¿Con qué frecuencia enviáis la newsletter?", "es").answerType;
    expect(often?.test("Como mucho dos correos por semana.")).toBe(true);
    expect(often?.test("Cada artículo se revisa.")).toBe(false);
    expect(
      questionShape("Wie oft verschickt ihr den Newsletter?", "de").answerType?.test("einmal pro Woche"),
    ).toBe(true);
  });

  it("names the noun a list question asks for, in the visitor's words", () => {
    expect(questionShape("¿Qué métodos de pago aceptáis?", "es").listNoun).toBe("metodos");
    expect(questionShape("Welche Zahlungsarten akzeptiert ihr?", "de").listNoun).toBe("zahlungsarten");
    expect(questionShape("Quels moyens de paiement acceptez-vous ?", "fr").listNoun).toBe("moyens");
    expect(questionShape("¿Qué tiempo hará mañana?", "es").listNoun).toBeUndefined();
  });
});
