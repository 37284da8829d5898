/**
 * How each widget language asks a shop question, for question-shape.ts: which words open a yes/no question, a
 * list question, a how-to, and a question for a duration, a frequency, an amount or a number. English forms
 * read the question's words after typo repair; Spanish, German and French forms read the visitor's own words,
 * lowercased with accents folded ("¿Cuánto tardan ...?" -> "cuanto tardan ..."), because a gloss loses how
 * they were asked ("¿Cómo restablezco ...?" glosses to "how reset ..."). Pure data.
 */
import type { Language } from "../contracts/language.ts";

export interface QuestionForms {
  /** A greeting in front of the question ("Hi, ..."), dropped before the yes/no test. */
  greeting: RegExp;
  /** Tested on the question after its greeting: does it ask for a yes or a no? */
  yesNo: RegExp;
  /** Group 1 is the noun a list question names ("methods", "zahlungsarten"). */
  list: RegExp;
  howTo: RegExp;
  /** How long something takes to happen: answered in days or weeks, not years. */
  processTime: RegExp;
  /** How long something lasts or when it comes: any span of time. */
  duration: RegExp;
  frequency: RegExp;
  amount: RegExp;
  /** How many, or at what time: any number answers. */
  count: RegExp;
}

// Spanish, German and French mark a yes/no question by what it does not start with: a question word, alone or
// after a preposition ("¿A qué países ...?", "Bis wann ...?", "Dans quels pays ...?"). The verb-first order of
// German and the inversions of French ("Livrez-vous ...?") need no list of verbs this way, only the question mark.
const notOpenedBy = (prepositions: string, questionWords: string) =>
  new RegExp(`^(?!(?:(?:${prepositions}) )?(?:${questionWords})\\b)[^?]*\\p{L}[^?]*\\?`, "u");

const SPANISH_QUESTION_WORDS =
  "que|cual|cuales|quien|quienes|como|cuanto|cuanta|cuantos|cuantas|cuando|donde|adonde|por que";
const GERMAN_QUESTION_WORDS =
  "wie|was|wann|wo|wohin|woher|womit|wofur|worauf|wozu|wodurch|woran|warum|weshalb|wieso|welche|welcher|welches|welchen|welchem|wer|wen|wem|wessen|wieviel|wieviele";
const FRENCH_QUESTION_WORDS =
  "comment|combien|quand|ou|pourquoi|que|qu|quel|quels|quelle|quelles|quoi|qui|lequel|laquelle|lesquels|lesquelles|qu'est-ce";

export const questionForms: Record<Language, QuestionForms> = {
  en: {
    greeting: /^\W*(?:hi|hello|hey)\b\W*/i,
    yesNo: /^(?:do|does|did|can|could|is|are|was|were|will|would|may|might|should|shall|have|has|am)\b/i,
    list: /\b(?:which|what)\b.*\b(methods?|items?|options?|ways?|kinds?|types?|things?|countries)\b/,
    howTo:
      /\bhow (?:do|can|should) (?:i|we|you)\b|\bhow to\b|\bsteps?\b|\bwhat (?:should|do|can|must) i do\b/,
    processTime: /\bhow long\b.*\btakes?\b/,
    duration: /\bhow (?:long|soon)\b|\bwhen will\b/,
    frequency: /\bhow often\b/,
    amount: /\bhow much\b|\bcosts?\b|\bprices?\b|\bfees?\b/,
    count: /\bhow many\b|\bwhen\b|\bhours\b/,
  },
  es: {
    greeting: /^\W*(?:hola|buenas|buenos dias|buenas tardes)\b\W*/,
    yesNo: notOpenedBy("a|al|de|del|en|con|para|por|desde|hasta", SPANISH_QUESTION_WORDS),
    list: /^(?:(?:a|de|en|con|por) )?(?:que|cuales) (?:son (?:los|las|sus|vuestros|vuestras) )?(\p{L}*(?:metodos|formas|medios|opciones|articulos|productos|tipos|paises|tarjetas|cosas))\b/u,
    // "¿Cómo restablezco ...?", "¿Cómo puedo ...?", "¿Cómo cambiar ...?", but not "¿Cómo es ...?" (what it is like).
    howTo:
      /^como (?!(?:es|son|esta|estan|de|funciona)\b)\p{L}+|\bque (?:tengo que|debo|hay que|puedo) hacer\b|\bque hago\b|\bpasos?\b/u,
    processTime:
      /\bcuant[oa]s? (?:tiempo |dias |semanas )?(?:se )?(?:tarda|demora|lleva)\p{L}*|\ben cuanto tiempo\b/u,
    duration:
      /\bcuanto tiempo\b|\bcuanto dura\p{L}*|\bcuando (?:llega|recibire|recibo|estara|tendre|vuelve)\p{L}*|\bhasta cuando\b/u,
    frequency: /\bcada cuanto\b|\bcon que frecuencia\b|\bcuantas veces\b/,
    amount:
      /\bcuanto (?:cuesta|cuestan|vale|valen|es|son|cobrais|cobran|pago)\b|\bprecios?\b|\bcoste?s?\b|\bcosto\b|\btarifas?\b|\bgastos\b|\bcomision(?:es)?\b/,
    count: /\bcuant[oa]s\b|\bcuando\b|\bhorarios?\b/,
  },
  de: {
    greeting: /^\W*(?:hallo|hi|hey|guten (?:tag|morgen|abend)|moin|servus)\b\W*/,
    yesNo: notOpenedBy("ab|an|auf|aus|bei|bis|fur|in|mit|nach|seit|uber|um|von|zu", GERMAN_QUESTION_WORDS),
    // German joins its head noun to the end of a compound: "Zahlungsarten", "Versandoptionen".
    list: /\bwelche[nrsm]? (\p{L}*(?:arten|methoden|moglichkeiten|optionen|artikel|produkte|lander|karten|dinge))\b/u,
    // "Wie setze ich ... zurück?", "Wie kann man ...?", "Was muss ich tun?", not "Wie lange ...?" and its kin.
    howTo:
      /^wie (?!(?:lange|viel|viele|oft|bald|schnell|teuer|weit|alt|gross|spat|fruh)\b)\p{L}+ (?:ich|man|wir)\b|\bwas (?:muss|soll|kann) ich (?:tun|machen)\b|\bwie funktioniert\b|\bschritte?\b|\banleitung\b/u,
    processTime:
      /\bwie (?:lange|viele (?:tage|werktage|wochen))\b.*\b(?:dauer|brauch)\p{L}*|\b(?:dauer|brauch)\p{L}* .*\bwie lange\b|\bwie schnell\b/u,
    duration:
      /\bwie lange\b|\bwann (?:kommt|kommen|erhalte|erhalten|bekomme|bekommen|wird|werde|trifft)\b|\b(?:bis|ab) wann\b|\bfrist\p{L}*/u,
    frequency: /\bwie (?:oft|haufig)\b/,
    amount:
      /\bwie ?viel\b(?! (?:zeit|tage|wochen))|\bwas kostet\b|\bwie teuer\b|\p{L}*(?:kosten|kostet|preis|preise|gebuhr|gebuhren)\b/u,
    count: /\bwie ?viele\b|\bwann\b|\boffnungszeiten\b|\buhrzeit\b/,
  },
  fr: {
    greeting: /^\W*(?:bonjour|bonsoir|salut|coucou)\b\W*/,
    yesNo: notOpenedBy(
      "a|au|aux|de|des|du|en|dans|pour|par|avec|depuis|jusqu'a|sur|vers",
      FRENCH_QUESTION_WORDS,
    ),
    list: /\bquel(?:le)?s (?:sont (?:les|vos) )?(\p{L}*(?:moyens|modes|methodes|options|articles|produits|types|pays|cartes|choses))\b/u,
    // "Comment réinitialiser ...?", "Comment puis-je ...?", "Que dois-je faire ?", not "Comment est ...?".
    howTo:
      /^comment (?!(?:est|sont|s'appelle)\b)|\bque (?:dois-je|faire|puis-je faire)\b|\bqu'est-ce que je (?:dois|peux) faire\b|\betapes?\b/,
    processTime:
      /\bcombien de (?:temps|jours|semaines)\b.*\b(?:prend|prennent|prendra|faut|faudra|met|mettent|mettra|dure|durent)\b|\b(?:prend|faut|met|dure)\p{L}*(?:-\p{L}+)* combien de temps\b|\ben combien de temps\b|\bdelais?\b/u,
    duration:
      /\bcombien de temps\b|\bquand (?:vais-je|va|vont|arrive|arrivera|arriveront|recevrai|serai)\p{L}*|\bjusqu'a quand\b|\bd'ici quand\b/u,
    frequency: /\ba quelle frequence\b|\btous les combien\b|\bcombien de fois\b/,
    // "Combien coûte ...?", "C'est combien ?": a bare "combien" asks for an amount; "combien de" for a count.
    amount: /\bcombien\b(?! de\b| d')|\bcout\p{L}*|\bprix\b|\btarifs?\b|\bfrais\b/u,
    count: /\bcombien d(?:e\b|')|\bquand\b|\bhoraires?\b/,
  },
};
