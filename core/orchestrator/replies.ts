/**
 * The few fixed sentences the orchestrator says itself, when no Brain answer can be used. Kept together so
 * they read as one voice and can be translated together: each exists in the four widget languages.
 */
import type { Language } from "../brain/languages.ts";

export const replies = {
  followUp: "We're checking further and will follow up by email.",
  timedOut:
    "I'm sorry, this is taking longer than it should. We're checking further and will follow up by email.",
  brainUnavailable:
    "I'm sorry, I can't answer right now. I've passed your message to our support team, and we'll follow up by email.",
  handedOffAfterErrors:
    "I'm having trouble with this request, so I've asked a member of our support team to take over. They'll reply here.",
  notConfirmed:
    "I couldn't find this confirmed in our help centre, so I'd rather not guess. Would you like me to connect you with a member of our team?",
  selfHarm:
    "I'm really sorry you're feeling this way. You don't have to go through it alone: please reach out to someone you trust or a local crisis line, and if you're in danger, call your local emergency number. If you'd like, I can also connect you with a person from our team.",
  abuse:
    "I want to help, but I can't continue with messages like that. If something has gone wrong with an order, tell me what happened, or ask for a person and I'll connect you with our team.",
  limitedMode: "This answer is put together from our help centre and your order details.",
  promptLeak:
    "I can't share how I'm set up or anything behind the scenes, but I'm happy to help with an order, shipping, returns or our products.",
  handoffWaiting:
    "A member of our support team has your conversation and will reply here. You can keep adding details in the meantime.",
} as const;

export type Replies = { readonly [K in keyof typeof replies]: string };

/** The same sentences in the other widget languages; the turn answers in the language of the visitor's message. */
export const localizedReplies: Record<Language, Replies> = {
  en: replies,
  es: {
    followUp: "Lo estamos comprobando y te responderemos por correo electrónico.",
    timedOut:
      "Lo siento, esto está tardando más de lo debido. Lo estamos comprobando y te responderemos por correo electrónico.",
    brainUnavailable:
      "Lo siento, ahora mismo no puedo responder. He pasado tu mensaje a nuestro equipo de atención al cliente y te responderemos por correo electrónico.",
    handedOffAfterErrors:
      "Tengo problemas con esta consulta, así que he pedido a una persona de nuestro equipo que se encargue. Te responderá aquí.",
    notConfirmed:
      "No he encontrado esto confirmado en nuestro centro de ayuda y prefiero no adivinar. ¿Quieres que te ponga en contacto con una persona de nuestro equipo?",
    selfHarm:
      "Siento mucho que te sientas así. No tienes que pasar por esto solo: habla con alguien de confianza o con una línea de crisis local y, si estás en peligro, llama al número de emergencias. Si quieres, también puedo ponerte en contacto con una persona de nuestro equipo.",
    abuse:
      "Quiero ayudarte, pero no puedo seguir con mensajes así. Si algo ha ido mal con un pedido, cuéntame qué ha pasado o pide hablar con una persona y te pondré en contacto con nuestro equipo.",
    limitedMode: "Esta respuesta se basa en nuestro centro de ayuda y en los datos de tu pedido.",
    promptLeak:
      "No puedo compartir cómo estoy configurado ni nada interno, pero con gusto te ayudo con un pedido, envíos, devoluciones o nuestros productos.",
    handoffWaiting:
      "Una persona de nuestro equipo tiene tu conversación y te responderá aquí. Mientras tanto puedes seguir añadiendo detalles.",
  },
  de: {
    followUp: "Wir prüfen das weiter und melden uns per E-Mail.",
    timedOut: "Das dauert leider länger als es sollte. Wir prüfen das weiter und melden uns per E-Mail.",
    brainUnavailable:
      "Ich kann gerade leider nicht antworten. Ich habe deine Nachricht an unser Support-Team weitergegeben, wir melden uns per E-Mail.",
    handedOffAfterErrors:
      "Mit dieser Anfrage habe ich Schwierigkeiten, deshalb übernimmt jemand aus unserem Support-Team. Die Antwort kommt hier.",
    notConfirmed:
      "Das konnte ich in unserem Hilfe-Center nicht bestätigt finden, und ich möchte nicht raten. Soll ich dich mit jemandem aus unserem Team verbinden?",
    selfHarm:
      "Es tut mir sehr leid, dass es dir so geht. Du musst da nicht allein durch: Bitte wende dich an jemanden, dem du vertraust, oder an eine Krisenhotline, und wenn du in Gefahr bist, ruf den Notruf. Wenn du möchtest, verbinde ich dich auch mit jemandem aus unserem Team.",
    abuse:
      "Ich möchte helfen, kann aber mit solchen Nachrichten nicht weitermachen. Wenn bei einer Bestellung etwas schiefgelaufen ist, erzähl mir, was passiert ist, oder frag nach einem Menschen, dann verbinde ich dich mit unserem Team.",
    limitedMode: "Diese Antwort stammt aus unserem Hilfe-Center und deinen Bestelldaten.",
    promptLeak:
      "Wie ich eingerichtet bin, kann ich nicht verraten, aber bei Bestellungen, Versand, Rücksendungen oder unseren Produkten helfe ich gern.",
    handoffWaiting:
      "Jemand aus unserem Support-Team hat dein Gespräch übernommen und antwortet hier. Du kannst in der Zwischenzeit weitere Details ergänzen.",
  },
  fr: {
    followUp: "Nous vérifions et revenons vers vous par e-mail.",
    timedOut: "Désolé, cela prend plus de temps que prévu. Nous vérifions et revenons vers vous par e-mail.",
    brainUnavailable:
      "Désolé, je ne peux pas répondre pour le moment. J'ai transmis votre message à notre service client, qui vous répondra par e-mail.",
    handedOffAfterErrors:
      "J'ai du mal avec cette demande, j'ai donc demandé à une personne de notre service client de prendre le relais. Elle vous répondra ici.",
    notConfirmed:
      "Je n'ai pas trouvé cela confirmé dans notre centre d'aide et je préfère ne pas deviner. Voulez-vous que je vous mette en relation avec une personne de notre équipe ?",
    selfHarm:
      "Je suis vraiment désolé que vous vous sentiez ainsi. Vous n'êtes pas seul : parlez-en à une personne de confiance ou à une ligne d'écoute locale, et si vous êtes en danger, appelez le numéro d'urgence. Si vous le souhaitez, je peux aussi vous mettre en relation avec une personne de notre équipe.",
    abuse:
      "Je veux vous aider, mais je ne peux pas continuer avec de tels messages. Si un problème est survenu avec une commande, dites-moi ce qui s'est passé, ou demandez à parler à une personne et je vous mettrai en relation avec notre équipe.",
    limitedMode: "Cette réponse s'appuie sur notre centre d'aide et les informations de votre commande.",
    promptLeak:
      "Je ne peux pas dévoiler ma configuration, mais je vous aide volontiers pour une commande, la livraison, les retours ou nos produits.",
    handoffWaiting:
      "Une personne de notre service client a votre conversation et vous répondra ici. Vous pouvez ajouter des détails en attendant.",
  },
};

export function repliesIn(language: Language | undefined): Replies {
  return localizedReplies[language ?? "en"];
}
