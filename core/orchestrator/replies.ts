/**
 * The few fixed sentences the orchestrator says itself, when no Brain answer can be used. Kept together so
 * they read as one voice and can be translated together.
 */
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
