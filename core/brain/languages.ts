/**
 * The visitor's language for the offline brain, per message, and an English gloss of a Spanish, German or
 * French shop question for the router and for the help centre's English articles (searchWords keeps the
 * visitor's own words for the articles translated into their language).
 * The gloss is a small bilingual lexicon of shop terms, phrases first, then words; words it does not know
 * (names, numbers, order references) pass through unchanged. Pure; called by offline-brain.ts.
 */

import type { Language } from "../contracts/language.ts";
import { foldAccents } from "./fold-accents.ts";

export { type Language, languages } from "../contracts/language.ts";

// Frequent function words and shop words of each language; a message is in the language with most hits.
const MARKERS: Record<Exclude<Language, "en">, ReadonlySet<string>> = {
  es: new Set(
    "el la los las un una de del que qué es mi mis por para con cómo cuánto cuánta cuántos dónde hacéis tengo quiero puedo hola gracias envío envíos pedido devolver reembolsos? contraseña tarda tardan aceptáis está hará mañana restablezco persona impermeable zapatilla enviáis tenéis podéis hay cuesta".split(
      " ",
    ),
  ),
  de: new Set(
    "der die das den dem ein eine einen ist ich ihr wie was wo wann meine mein mit nach für und nicht hallo danke lange dauert versand versendet lieferung bestellung rücksendung erstattung zahlungsarten akzeptiert kostet möchte sprechen menschen kann bezahlen wetter morgen kostenlos zeit habe gibt liefert habt könnt".split(
      " ",
    ),
  ),
  fr: new Set(
    "le la les un une des du de est je vous mon ma mes pour avec où combien comment quel quels quelle bonjour merci livrez livraison commande retour retourner remboursement paiement moyens acceptez veux parler personne réinitialiser mot passe temps gratuit fera demain coûte ai".split(
      " ",
    ),
  ),
};
const LETTERS: Record<Exclude<Language, "en">, RegExp> = {
  es: /[¿¡ñ]/u,
  de: /[äöüß]/u,
  fr: /[àâçèêëîïôûù]/u,
};
const ENGLISH = new Set("the is my do you how what where can i to and for of your a".split(" "));

/**
 * Lowercase words, accented letters included (\b and \w know only ASCII). A token with a digit or an identifier
 * character in it (an order number, a hex id, an email, a path) is no word of any language: "models-3f2a1de"
 * would otherwise read as "models", "f", "a", "de" and its "de" as Spanish.
 */
function wordsOf(text: string): string[] {
  return (
    text
      .toLowerCase()
      .split(/[\s,;!?¿¡()"]+/u)
      .filter((token) => !/[\p{N}_@/\\#=]/u.test(token))
      // "livrez-vous" is two words of French, "e-mail" two of anything.
      .flatMap((token) => token.match(/\p{L}+/gu) ?? [])
  );
}

/**
 * @example
 * detectLanguage("¿Cuánto tardan los reembolsos?"); // "es"
 * detectLanguage("How long do refunds take?");       // "en"
 */
export function detectLanguage(text: string): Language {
  const words = wordsOf(text);
  let best: Language = "en";
  let bestHits = 0;
  for (const lang of ["es", "de", "fr"] as const) {
    // "¿" and "¡" are Spanish alone: they count as two words of it.
    const letters = LETTERS[lang].test(text) ? (lang === "es" && /[¿¡]/.test(text) ? 2 : 1) : 0;
    const hits = words.filter((w) => MARKERS[lang].has(w)).length + letters;
    if (hits > bestHits) {
      best = lang;
      bestHits = hits;
    }
  }
  // English shares "a", "de" or "la" only by accident: one hit is not a language.
  const english = words.filter((w) => ENGLISH.has(w)).length;
  return bestHits >= 2 && bestHits > english ? best : bestHits >= 1 && english === 0 ? best : "en";
}

// Phrases before words; every entry lowercase, accents as typed.
const GLOSSARY: Record<Exclude<Language, "en">, [string, string][]> = {
  es: [
    ["cuánto tiempo tengo para", "how many days do i have to"],
    ["cuánto (?:tiempo )?tarda(?:n)?", "how long does take"],
    ["cuánto cuesta", "how much does cost"],
    ["métodos de pago", "payment methods"],
    ["hablar con una persona", "talk to a person"],
    ["hacéis envíos|enviáis", "do you ship"],
    ["dónde está", "where is"],
    ["mi correo es", "my email is"],
    ["reino unido", "uk"],
    ["estados unidos", "usa"],
    ["qué tiempo hará", "what will the weather be"],
    ["(?:tenéis|tienen|tiene) que", "do i have to"],
    ["(?:tenéis|tienen)", "do you have"],
    ["(?:puedo|podría)", "can i"],
    ["(?:podéis|pueden|puede)", "can you"],
    ["hay", "is there"],
    ["código de descuento", "discount code"],
    ["tarjeta regalo", "gift card"],
    ["número de seguimiento", "tracking number"],
    ["gastos de envío", "shipping costs"],
    ["contra reembolso", "cash on delivery"],
    ["cambiar (?:la|de) talla", "exchange the size"],
  ],
  de: [
    ["wie lange habe ich zeit für", "how many days do i have for"],
    ["wie lange dauert", "how long does take"],
    ["was kostet", "how much does cost"],
    ["mit einem menschen sprechen", "talk to a person"],
    ["per nachnahme", "cash on delivery"],
    ["wo ist", "where is"],
    ["meine e-mail ist", "my email is"],
    ["wie wird das wetter", "what will the weather be"],
    ["(?:versendet|liefert|verschickt) ihr|(?:versenden|liefern|verschicken) sie", "do you ship"],
    ["(?:habt|haben) ihr|haben sie", "do you have"],
    ["gibt es", "is there"],
    ["kann ich", "can i"],
    ["(?:könnt|können) ihr|können sie", "can you"],
    ["wann kommt", "when will arrive"],
    ["wie viel kostet|wieviel kostet", "how much does cost"],
  ],
  fr: [
    ["combien de temps ai-je pour", "how many days do i have to"],
    ["combien de temps prend", "how long does take"],
    ["combien coûte", "how much does cost"],
    ["moyens de paiement", "payment methods"],
    ["mot de passe", "password"],
    ["parler à une personne", "talk to a person"],
    ["où est", "where is"],
    ["mon e-mail est", "my email is"],
    ["royaume-uni", "uk"],
    ["quel temps fera-t-il", "what will the weather be"],
    ["est-ce que", ""],
    ["y a-t-il", "is there"],
    ["puis-je|je peux", "can i"],
    ["pouvez-vous", "can you"],
    ["avez-vous", "do you have"],
    ["(?:livrez|expédiez|envoyez)-vous", "do you ship"],
    ["frais de (?:port|livraison)", "shipping costs"],
    ["code (?:de réduction|promo)", "discount code"],
    ["carte cadeau", "gift card"],
    ["numéro de suivi", "tracking number"],
    ["paiement à la livraison|contre-remboursement", "cash on delivery"],
  ],
};

const WORDS: Record<Exclude<Language, "en">, Record<string, string>> = {
  es: {
    envío: "shipping",
    envíos: "shipping",
    enviar: "ship",
    entrega: "delivery",
    devolver: "return",
    devolución: "return",
    devoluciones: "returns",
    reembolso: "refund",
    reembolsos: "refunds",
    pago: "payment",
    pagar: "pay",
    tarjeta: "card",
    contraseña: "password",
    restablezco: "reset",
    restablecer: "reset",
    cuenta: "account",
    pedido: "order",
    mi: "my",
    persona: "person",
    humano: "human",
    impermeable: "waterproof",
    zapatilla: "shoe",
    garantía: "warranty",
    gratis: "free",
    gratuita: "free",
    gratuito: "free",
    factura: "invoice",
    cambiar: "exchange",
    talla: "size",
    hola: "hello",
    gracias: "thanks",
    aceptáis: "accept",
    producto: "item",
    alemania: "germany",
    españa: "spain",
    suiza: "switzerland",
    francia: "france",
    paquete: "parcel",
    seguimiento: "tracking",
    retraso: "delay",
    perdido: "lost",
    dañado: "damaged",
    roto: "broken",
    cancelar: "cancel",
    anular: "cancel",
    dirección: "address",
    correo: "email",
    teléfono: "phone",
    llamar: "call",
    aduana: "customs",
    aranceles: "duties",
    iva: "vat",
    descuento: "discount",
    cupón: "coupon",
    cambio: "exchange",
    reparación: "repair",
    botas: "boots",
    tienda: "tent",
    chaqueta: "jacket",
    dónde: "where",
    cuándo: "when",
    cuánto: "how much",
    cómo: "how",
    qué: "which",
    es: "is",
    la: "the",
    el: "the",
    a: "to",
  },
  de: {
    versand: "shipping",
    versendet: "ship",
    lieferung: "delivery",
    rücksendung: "return",
    retoure: "return",
    erstattung: "refund",
    rückerstattung: "refund",
    zahlungsarten: "payment methods",
    zahlungsmethoden: "payment methods",
    bezahlen: "pay",
    passwort: "password",
    zurücksetzen: "reset",
    konto: "account",
    bestellung: "order",
    meine: "my",
    mein: "my",
    kostenlos: "free",
    rechnung: "invoice",
    umtauschen: "exchange",
    größe: "size",
    hallo: "hello",
    danke: "thanks",
    wasserdicht: "waterproof",
    garantie: "warranty",
    akzeptiert: "accept",
    schweiz: "switzerland",
    österreich: "austria",
    deutschland: "germany",
    australien: "australia",
    nach: "to",
    ihr: "you",
    ist: "is",
    die: "the",
    der: "the",
    kann: "can",
    ich: "i",
    welche: "which",
    paket: "parcel",
    sendung: "shipment",
    sendungsverfolgung: "tracking",
    verspätet: "late",
    verloren: "lost",
    beschädigt: "damaged",
    kaputt: "broken",
    stornieren: "cancel",
    adresse: "address",
    lieferadresse: "delivery address",
    telefon: "phone",
    anrufen: "call",
    zoll: "customs",
    mehrwertsteuer: "vat",
    rabattcode: "discount code",
    gutschein: "voucher",
    geschenkkarte: "gift card",
    umtausch: "exchange",
    reparatur: "repair",
    stiefel: "boots",
    zelt: "tent",
    jacke: "jacket",
    wo: "where",
    wann: "when",
    wie: "how",
    versandkosten: "shipping costs",
    rücksendekosten: "return shipping costs",
    lieferzeit: "delivery time",
  },
  fr: {
    livraison: "delivery",
    livrer: "deliver",
    expédition: "shipping",
    envoi: "shipping",
    retour: "return",
    retourner: "return",
    remboursement: "refund",
    paiement: "payment",
    payer: "pay",
    carte: "card",
    réinitialiser: "reset",
    compte: "account",
    commande: "order",
    ma: "my",
    mon: "my",
    gratuit: "free",
    facture: "invoice",
    échanger: "exchange",
    taille: "size",
    bonjour: "hello",
    merci: "thanks",
    imperméable: "waterproof",
    garantie: "warranty",
    acceptez: "accept",
    article: "item",
    belgique: "belgium",
    allemagne: "germany",
    australie: "australia",
    suisse: "switzerland",
    espagne: "spain",
    autriche: "austria",
    colis: "parcel",
    suivi: "tracking",
    retard: "late",
    perdu: "lost",
    endommagé: "damaged",
    cassé: "broken",
    annuler: "cancel",
    adresse: "address",
    téléphone: "phone",
    appeler: "call",
    douane: "customs",
    tva: "vat",
    réduction: "discount",
    échange: "exchange",
    réparation: "repair",
    chaussures: "boots",
    tente: "tent",
    veste: "jacket",
    où: "where",
    quand: "when",
    combien: "how much",
    comment: "how",
    quels: "which",
    numéro: "number",
    quel: "which",
    le: "the",
    est: "is",
    en: "to",
    un: "an",
    une: "a",
  },
};

/**
 * An English reading of a shop question, good enough for routing and search; English text is returned as is.
 *
 * @example
 * englishGloss("¿Cuánto tardan los reembolsos?", "es"); // "how long does take los refunds?"
 */
export function englishGloss(text: string, lang: Language): string {
  if (lang === "en") return text;
  let out = text.toLowerCase().replace(/[¿¡]/g, "");
  for (const [pattern, english] of PHRASES[lang]) out = out.replace(pattern, english);
  const words = WORDS[lang];
  const functionWords = FUNCTION_WORDS[lang];
  return out
    .replace(/[\p{L}-]+/gu, (w) => words[w] ?? (functionWords.has(w) ? " " : w))
    .replace(/\s+/g, " ")
    .trim();
}

// The glossary's phrases as patterns ("cuánto (?:tiempo )?tarda(?:n)?"), whole words only: \b knows ASCII only.
const PHRASES = Object.fromEntries(
  Object.entries(GLOSSARY).map(([lang, entries]) => [
    lang,
    entries.map(
      ([pattern, english]) => [new RegExp(`(?<!\\p{L})(?:${pattern})(?!\\p{L})`, "gu"), english] as const,
    ),
  ]),
) as Record<Exclude<Language, "en">, (readonly [RegExp, string])[]>;

// Articles, prepositions and conjunctions the lexicon has no English for: left in, they are words the router has
// never seen, which it reads as a sign the message is about something else.
const FUNCTION_WORDS: Record<Exclude<Language, "en">, ReadonlySet<string>> = {
  es: new Set(
    "el la los las un una unos unas de del al lo y o por para con en que se su sus me te nos os".split(" "),
  ),
  de: new Set(
    "der die das den dem des ein eine einen einem einer eines und oder zu zum zur für mit von vom im in am an auf aus bei es".split(
      " ",
    ),
  ),
  fr: new Set(
    "le la les l un une des du de d et ou à au aux pour avec par sur dans ce cette ces se vous".split(" "),
  ),
};

// How a question is asked, not what it is about: "cuánto tiempo", "wie lange dauert", "combien de temps prend".
// The gloss keeps their meaning for the English articles ("how long ... take"); in the visitor's own words they
// would match a translated page that happens to ask the same way ("Combien de temps prendra ma livraison ?").
const QUESTION_FRAME: Record<Exclude<Language, "en">, ReadonlySet<string>> = {
  es: new Set(
    "cuánto cuánta cuántos cuántas cuanto tiempo tengo tarda tardan tardará tardaría cómo como qué que dónde donde cuándo cuando cuál cuáles puedo podéis hacéis hay es está mi mis me se".split(
      " ",
    ),
  ),
  de: new Set(
    "wie lange zeit dauert dauern was wo wann welche welcher welches kann könnt ich habe ihr gibt es ist sind mein meine mir".split(
      " ",
    ),
  ),
  fr: new Set(
    "combien temps prend prendra quel quels quelle quelles où quand comment est-ce puis-je ai-je pouvez-vous je est sont mon ma mes".split(
      " ",
    ),
  ),
};

/**
 * The visitor's own words to search the help centre's translations with: the message without its question
 * frame. English messages are returned as they are.
 *
 * @example
 * searchWords("Combien de temps prend un remboursement ?", "fr"); // "de un remboursement"
 */
export function searchWords(text: string, lang: Language): string {
  if (lang === "en") return text;
  const frame = QUESTION_FRAME[lang];
  return text
    .split(/[\s?¿!¡.,;:]+/u)
    .filter((w) => w !== "" && !frame.has(w.toLowerCase().replace(/^(?:l|d|j|qu)['’]/, "")))
    .join(" ");
}

/**
 * The function words and question frames of Spanish, German and French, folded as the router's normaliser folds
 * words ("für" -> "fur"): filler to the router and the extractive answerer, like "the" and "how do i".
 */
export const foreignFillerWords: ReadonlySet<string> = new Set(
  [...Object.values(FUNCTION_WORDS), ...Object.values(QUESTION_FRAME)]
    .flatMap((set) => [...set])
    .map(foldAccents)
    .filter((w) => /^[a-z]+$/.test(w)),
);
