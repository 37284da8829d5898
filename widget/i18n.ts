/**
 * Every string the widget shows or announces, in one table, and the choice of language: the script tag's
 * data-lang first, then the browser's preferred languages, then English. Used by the view and the chat
 * controller; tested in Node.
 */

const en = {
  title: "Support",
  greeting: "Hi! Ask me about your order, returns, shipping or our products.",
  openChat: "Open support chat",
  closeChat: "Close chat",
  conversation: "Conversation",
  inputLabel: "Your message",
  placeholder: "Type your message…",
  send: "Send",
  typing: "Support is typing…",
  lookingUp: "Looking that up…",
  talkToPerson: "Talk to a person",
  handoffRequest: "I'd like to talk to a person, please.",
  handoffBanner: "A person from our team will take over this conversation. You can keep writing here.",
  offlineBanner: "Answers from our help centre",
  networkDown: "Connection lost. Retrying…",
  sendFailed: "Your message could not be sent.",
  retry: "Try again",
  you: "You",
  agent: "Support",
  sources: "Sources",
  helpful: "Helpful",
  notHelpful: "Not helpful",
  thanks: "Thanks for your feedback!",
  reference: "Reference",
  newTab: "(opens in a new tab)",
  earlier: "Earlier conversations",
  newConversation: "New conversation",
  loaded: "Earlier conversation opened.",
  signedInAs: "Signed in as {name}",
};

export type Strings = typeof en;

const es: Strings = {
  title: "Atención al cliente",
  greeting: "¡Hola! Pregúntame por tu pedido, devoluciones, envíos o nuestros productos.",
  openChat: "Abrir el chat de ayuda",
  closeChat: "Cerrar el chat",
  conversation: "Conversación",
  inputLabel: "Tu mensaje",
  placeholder: "Escribe tu mensaje…",
  send: "Enviar",
  typing: "Atención al cliente está escribiendo…",
  lookingUp: "Lo estoy consultando…",
  talkToPerson: "Hablar con una persona",
  handoffRequest: "Quiero hablar con una persona, por favor.",
  handoffBanner:
    "Una persona de nuestro equipo continuará esta conversación. Puedes seguir escribiendo aquí.",
  offlineBanner: "Respuestas de nuestro centro de ayuda",
  networkDown: "Se perdió la conexión. Reintentando…",
  sendFailed: "No se pudo enviar tu mensaje.",
  retry: "Reintentar",
  you: "Tú",
  agent: "Atención al cliente",
  sources: "Fuentes",
  helpful: "Útil",
  notHelpful: "No es útil",
  thanks: "¡Gracias por tu opinión!",
  reference: "Referencia",
  newTab: "(se abre en una pestaña nueva)",
  earlier: "Conversaciones anteriores",
  newConversation: "Nueva conversación",
  loaded: "Conversación anterior abierta.",
  signedInAs: "Sesión iniciada como {name}",
};

const de: Strings = {
  title: "Kundenservice",
  greeting: "Hallo! Fragen Sie mich zu Ihrer Bestellung, Rücksendungen, Versand oder unseren Produkten.",
  openChat: "Support-Chat öffnen",
  closeChat: "Chat schließen",
  conversation: "Unterhaltung",
  inputLabel: "Ihre Nachricht",
  placeholder: "Nachricht eingeben…",
  send: "Senden",
  typing: "Der Kundenservice schreibt…",
  lookingUp: "Ich sehe nach…",
  talkToPerson: "Mit einer Person sprechen",
  handoffRequest: "Ich möchte bitte mit einer Person sprechen.",
  handoffBanner: "Eine Person aus unserem Team übernimmt dieses Gespräch. Sie können hier weiterschreiben.",
  offlineBanner: "Antworten aus unserem Hilfe-Center",
  networkDown: "Verbindung unterbrochen. Neuer Versuch…",
  sendFailed: "Ihre Nachricht konnte nicht gesendet werden.",
  retry: "Erneut versuchen",
  you: "Sie",
  agent: "Kundenservice",
  sources: "Quellen",
  helpful: "Hilfreich",
  notHelpful: "Nicht hilfreich",
  thanks: "Danke für Ihr Feedback!",
  reference: "Referenz",
  newTab: "(öffnet in neuem Tab)",
  earlier: "Frühere Unterhaltungen",
  newConversation: "Neue Unterhaltung",
  loaded: "Frühere Unterhaltung geöffnet.",
  signedInAs: "Angemeldet als {name}",
};

const fr: Strings = {
  title: "Service client",
  greeting:
    "Bonjour ! Posez-moi vos questions sur votre commande, les retours, la livraison ou nos produits.",
  openChat: "Ouvrir le chat d'assistance",
  closeChat: "Fermer le chat",
  conversation: "Conversation",
  inputLabel: "Votre message",
  placeholder: "Écrivez votre message…",
  send: "Envoyer",
  typing: "Le service client écrit…",
  lookingUp: "Je vérifie…",
  talkToPerson: "Parler à une personne",
  handoffRequest: "Je voudrais parler à une personne, s'il vous plaît.",
  handoffBanner:
    "Une personne de notre équipe va reprendre cette conversation. Vous pouvez continuer à écrire ici.",
  offlineBanner: "Réponses de notre centre d'aide",
  networkDown: "Connexion perdue. Nouvelle tentative…",
  sendFailed: "Votre message n'a pas pu être envoyé.",
  retry: "Réessayer",
  you: "Vous",
  agent: "Service client",
  sources: "Sources",
  helpful: "Utile",
  notHelpful: "Pas utile",
  thanks: "Merci pour votre avis !",
  reference: "Référence",
  newTab: "(s'ouvre dans un nouvel onglet)",
  earlier: "Conversations précédentes",
  newConversation: "Nouvelle conversation",
  loaded: "Conversation précédente ouverte.",
  signedInAs: "Connecté en tant que {name}",
};

export const strings = { en, es, de, fr } satisfies Record<string, Strings>;
export type Lang = keyof typeof strings;

function isLang(code: string): code is Lang {
  return Object.hasOwn(strings, code);
}

/**
 * The first supported language among the explicit choice and the browser's list ("es-MX" counts as "es").
 * @example pickLang(null, ["de-AT", "en"]) // "de"
 */
export function pickLang(explicit: string | null | undefined, preferred: readonly string[]): Lang {
  for (const tag of [explicit ?? "", ...preferred]) {
    const base = tag.trim().toLowerCase().split(/[-_]/)[0] ?? "";
    if (isLang(base)) return base;
  }
  return "en";
}
