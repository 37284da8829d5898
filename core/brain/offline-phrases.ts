/**
 * Everything the offline brain says in its own words, in the four languages of the widget: questions back,
 * confirmations, order status and small talk. Help-centre text is quoted as written; when the article is in
 * another language than the visitor's, `onlyIn` names the language it is in. Pure data; used by offline-brain.ts and
 * offline-drafts.ts.
 */
import type { Language } from "./languages.ts";

export interface Phrases {
  askOrderAndEmail: string;
  askEmailForOrder: string;
  askEmailForTicket: string;
  orderNotFound: string;
  askOrderNumber: string;
  nothingFound: string;
  /** Why a person was asked instead of the help centre (it is empty or stale). */
  knowledgeUnavailable: string;
  couldNotCheck: string;
  couldNotPass: string;
  ticketOpened: (reference: string) => string;
  handedOff: (hours: string) => string;
  /** "This article is only available in German:", before an article quoted in that language. */
  onlyIn: (language: Language) => string;
  recentOrders: string;
  thanks: string;
  bye: string;
  hello: (shop: string) => string;
  whoAmI: (shop: string) => string;
  outOfScope: (shop: string) => string;
  /** "Your order FH-1 has been shipped." and the rest of the order sentence. */
  order: (number: string, status: string) => string;
  status: Record<string, string>;
  travelling: (carrier: string, tracking: string) => string;
  deliveredBy: (carrier: string, tracking: string) => string;
  estimated: (date: string) => string;
}

const en: Phrases = {
  askOrderAndEmail:
    "I can look that up. Please send me your order number (it starts with FH-) and the email address you used for the order.",
  askEmailForOrder: "I can check that order for you. What's the email address you used when you placed it?",
  askEmailForTicket: "I'll pass this to our team. What email address should they use to reach you?",
  orderNotFound:
    "I couldn't find an order with that order number and email address. Please check both (the order number starts with FH- and is in your confirmation email).",
  askOrderNumber: "Please send me your order number (it starts with FH-) and I'll look it up.",
  nothingFound: "I couldn't find anything on that. Would you like me to connect you with our team?",
  knowledgeUnavailable: "Our help centre isn't available to me right now.",
  couldNotCheck: "I couldn't check that just now.",
  couldNotPass: "I couldn't pass this on to our team just now.",
  ticketOpened: (r) =>
    `I've passed this to our support team (reference ${r}). They'll reply by email within one business day.`,
  handedOff: (h) =>
    `I've asked a member of our team to join this conversation. They're available ${h}; outside those hours they'll reply here as soon as they're back.`,
  onlyIn: (l) =>
    `This article is only available in ${{ en: "English", es: "Spanish", de: "German", fr: "French" }[l]}:`,
  recentOrders: "Here are your most recent orders:",
  thanks: "You're welcome! Is there anything else I can help you with?",
  bye: "Goodbye, and happy trails!",
  hello: (s) =>
    `Hi! I'm the ${s} assistant. I can help with orders, shipping, returns, refunds, payments and product questions. What can I do for you?`,
  whoAmI: (s) =>
    `I'm ${s}'s automated assistant, and my answers come from our help centre. If you'd like a person, just say so and I'll hand you over.`,
  outOfScope: (s) =>
    `I can only help with ${s} orders, shipping, returns, refunds, payments and our products. Is there something along those lines I can do for you?`,
  order: (n, status) => `Your order ${n} ${status}.`,
  status: {
    pending_payment: "is waiting for payment",
    processing: "is being prepared in our warehouse",
    shipped: "has been shipped",
    in_transit: "is on its way",
    out_for_delivery: "is out for delivery today",
    delivered: "has been delivered",
    delayed: "is delayed",
    cancelled: "has been cancelled",
    refunded: "has been refunded",
    return_requested: "has a return in progress",
    partially_shipped: "has been partly shipped",
  },
  travelling: (c, t) => `It's travelling with ${c}, tracking number ${t}.`,
  deliveredBy: (c, t) => `${c} delivered it (tracking number ${t}).`,
  estimated: (d) => `Estimated delivery: ${d}.`,
};

const es: Phrases = {
  askOrderAndEmail:
    "Puedo consultarlo. Envíame tu número de pedido (empieza por FH-) y el correo electrónico que usaste para el pedido.",
  askEmailForOrder: "Puedo consultar ese pedido. ¿Qué correo electrónico usaste al hacerlo?",
  askEmailForTicket: "Se lo paso a nuestro equipo. ¿A qué correo electrónico pueden escribirte?",
  orderNotFound:
    "No he encontrado ningún pedido con ese número y ese correo. Comprueba ambos (el número empieza por FH- y está en el correo de confirmación).",
  askOrderNumber: "Envíame tu número de pedido (empieza por FH-) y lo consulto.",
  nothingFound: "No he encontrado nada sobre eso. ¿Quieres que te ponga en contacto con nuestro equipo?",
  knowledgeUnavailable: "Ahora mismo no tengo acceso a nuestro centro de ayuda.",
  couldNotCheck: "No he podido comprobarlo ahora mismo.",
  couldNotPass: "No he podido pasárselo a nuestro equipo ahora mismo.",
  ticketOpened: (r) =>
    `He pasado tu consulta a nuestro equipo de atención al cliente (referencia ${r}). Te responderán por correo en un día laborable.`,
  handedOff: (h) =>
    `He pedido a una persona de nuestro equipo que se una a esta conversación. Atienden ${h}; fuera de ese horario te responderán aquí en cuanto vuelvan.`,
  onlyIn: (l) =>
    `Este artículo solo está disponible en ${{ en: "inglés", es: "español", de: "alemán", fr: "francés" }[l]}:`,
  recentOrders: "Estos son tus pedidos más recientes:",
  thanks: "¡De nada! ¿Puedo ayudarte con algo más?",
  bye: "¡Adiós y buenas rutas!",
  hello: (s) =>
    `¡Hola! Soy el asistente de ${s}. Puedo ayudarte con pedidos, envíos, devoluciones, reembolsos, pagos y productos. ¿Qué necesitas?`,
  whoAmI: (s) =>
    `Soy el asistente automático de ${s} y mis respuestas salen de nuestro centro de ayuda. Si prefieres hablar con una persona, dímelo.`,
  outOfScope: (s) =>
    `Solo puedo ayudar con pedidos, envíos, devoluciones, reembolsos, pagos y productos de ${s}. ¿Hay algo de eso en lo que pueda ayudarte?`,
  order: (n, status) => `Tu pedido ${n} ${status}.`,
  status: {
    pending_payment: "está pendiente de pago",
    processing: "se está preparando en nuestro almacén",
    shipped: "ha sido enviado",
    in_transit: "está en camino",
    out_for_delivery: "está en reparto hoy",
    delivered: "ha sido entregado",
    delayed: "está retrasado",
    cancelled: "ha sido cancelado",
    refunded: "ha sido reembolsado",
    return_requested: "tiene una devolución en curso",
    partially_shipped: "se ha enviado en parte",
  },
  travelling: (c, t) => `Viaja con ${c}, número de seguimiento ${t}.`,
  deliveredBy: (c, t) => `${c} lo entregó (número de seguimiento ${t}).`,
  estimated: (d) => `Entrega estimada: ${d}.`,
};

const de: Phrases = {
  askOrderAndEmail:
    "Das kann ich nachsehen. Bitte schick mir deine Bestellnummer (sie beginnt mit FH-) und die E-Mail-Adresse, mit der du bestellt hast.",
  askEmailForOrder: "Ich sehe mir die Bestellung gern an. Mit welcher E-Mail-Adresse hast du bestellt?",
  askEmailForTicket: "Ich gebe das an unser Team weiter. Unter welcher E-Mail-Adresse erreicht es dich?",
  orderNotFound:
    "Ich habe keine Bestellung mit dieser Bestellnummer und E-Mail-Adresse gefunden. Bitte prüfe beides (die Nummer beginnt mit FH- und steht in deiner Bestätigungs-E-Mail).",
  askOrderNumber: "Bitte schick mir deine Bestellnummer (sie beginnt mit FH-), dann sehe ich nach.",
  nothingFound: "Dazu habe ich nichts gefunden. Soll ich dich mit unserem Team verbinden?",
  knowledgeUnavailable: "Unser Hilfe-Center ist für mich gerade nicht erreichbar.",
  couldNotCheck: "Das konnte ich gerade nicht prüfen.",
  couldNotPass: "Ich konnte das gerade nicht an unser Team weitergeben.",
  ticketOpened: (r) =>
    `Ich habe das an unser Support-Team weitergegeben (Referenz ${r}). Es antwortet dir innerhalb eines Werktags per E-Mail.`,
  handedOff: (h) =>
    `Ich habe jemanden aus unserem Team gebeten, dieses Gespräch zu übernehmen. Das Team ist ${h} erreichbar; außerhalb dieser Zeiten antwortet es hier, sobald es zurück ist.`,
  onlyIn: (l) =>
    `Dieser Artikel ist nur auf ${{ en: "Englisch", es: "Spanisch", de: "Deutsch", fr: "Französisch" }[l]} verfügbar:`,
  recentOrders: "Das sind deine letzten Bestellungen:",
  thanks: "Gern geschehen! Kann ich sonst noch helfen?",
  bye: "Tschüss und schöne Touren!",
  hello: (s) =>
    `Hallo! Ich bin der Assistent von ${s}. Ich helfe bei Bestellungen, Versand, Rücksendungen, Erstattungen, Zahlungen und Produkten. Was kann ich für dich tun?`,
  whoAmI: (s) =>
    `Ich bin der automatische Assistent von ${s}, meine Antworten stammen aus unserem Hilfe-Center. Wenn du lieber mit einem Menschen sprechen möchtest, sag es einfach.`,
  outOfScope: (s) =>
    `Ich kann nur bei Bestellungen, Versand, Rücksendungen, Erstattungen, Zahlungen und Produkten von ${s} helfen. Kann ich dir dabei etwas abnehmen?`,
  order: (n, status) => `Deine Bestellung ${n} ${status}.`,
  status: {
    pending_payment: "wartet auf die Zahlung",
    processing: "wird in unserem Lager vorbereitet",
    shipped: "wurde versandt",
    in_transit: "ist unterwegs",
    out_for_delivery: "wird heute zugestellt",
    delivered: "wurde zugestellt",
    delayed: "ist verspätet",
    cancelled: "wurde storniert",
    refunded: "wurde erstattet",
    return_requested: "hat eine laufende Rücksendung",
    partially_shipped: "wurde teilweise versandt",
  },
  travelling: (c, t) => `Sie ist mit ${c} unterwegs, Sendungsnummer ${t}.`,
  deliveredBy: (c, t) => `${c} hat sie zugestellt (Sendungsnummer ${t}).`,
  estimated: (d) => `Voraussichtliche Zustellung: ${d}.`,
};

const fr: Phrases = {
  askOrderAndEmail:
    "Je peux vérifier. Envoyez-moi votre numéro de commande (il commence par FH-) et l'adresse e-mail utilisée pour la commande.",
  askEmailForOrder:
    "Je peux vérifier cette commande. Quelle adresse e-mail avez-vous utilisée pour la passer ?",
  askEmailForTicket: "Je transmets à notre équipe. À quelle adresse e-mail peut-elle vous répondre ?",
  orderNotFound:
    "Je n'ai trouvé aucune commande avec ce numéro et cette adresse e-mail. Vérifiez les deux (le numéro commence par FH- et figure dans l'e-mail de confirmation).",
  askOrderNumber: "Envoyez-moi votre numéro de commande (il commence par FH-) et je vérifie.",
  nothingFound:
    "Je n'ai rien trouvé à ce sujet. Voulez-vous que je vous mette en relation avec notre équipe ?",
  knowledgeUnavailable: "Notre centre d'aide ne m'est pas accessible pour le moment.",
  couldNotCheck: "Je n'ai pas pu vérifier pour le moment.",
  couldNotPass: "Je n'ai pas pu transmettre votre demande à notre équipe pour le moment.",
  ticketOpened: (r) =>
    `J'ai transmis votre demande à notre service client (référence ${r}). Il vous répondra par e-mail sous un jour ouvré.`,
  handedOff: (h) =>
    `J'ai demandé à une personne de notre équipe de rejoindre la conversation. L'équipe est disponible ${h} ; en dehors de ces horaires, elle vous répondra ici dès son retour.`,
  onlyIn: (l) =>
    `Cet article n'existe qu'en ${{ en: "anglais", es: "espagnol", de: "allemand", fr: "français" }[l]} :`,
  recentOrders: "Voici vos commandes les plus récentes :",
  thanks: "Avec plaisir ! Puis-je vous aider pour autre chose ?",
  bye: "Au revoir et bonnes randonnées !",
  hello: (s) =>
    `Bonjour ! Je suis l'assistant de ${s}. Je peux vous aider pour les commandes, la livraison, les retours, les remboursements, les paiements et les produits. Que puis-je faire pour vous ?`,
  whoAmI: (s) =>
    `Je suis l'assistant automatique de ${s}, et mes réponses viennent de notre centre d'aide. Si vous préférez parler à une personne, dites-le-moi.`,
  outOfScope: (s) =>
    `Je peux uniquement vous aider pour les commandes, la livraison, les retours, les remboursements, les paiements et les produits de ${s}. Puis-je vous aider pour l'un de ces sujets ?`,
  order: (n, status) => `Votre commande ${n} ${status}.`,
  status: {
    pending_payment: "attend le paiement",
    processing: "est en préparation dans notre entrepôt",
    shipped: "a été expédiée",
    in_transit: "est en cours de livraison",
    out_for_delivery: "est en livraison aujourd'hui",
    delivered: "a été livrée",
    delayed: "est retardée",
    cancelled: "a été annulée",
    refunded: "a été remboursée",
    return_requested: "a un retour en cours",
    partially_shipped: "a été expédiée en partie",
  },
  travelling: (c, t) => `Elle voyage avec ${c}, numéro de suivi ${t}.`,
  deliveredBy: (c, t) => `${c} l'a livrée (numéro de suivi ${t}).`,
  estimated: (d) => `Livraison estimée : ${d}.`,
};

export const offlinePhrases: Record<Language, Phrases> = { en, es, de, fr };
