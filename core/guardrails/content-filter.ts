/**
 * The content filter on what a visitor writes, before any model sees it: messages about self-harm get a caring
 * answer with an offer of a person, abusive or threatening ones a calm boundary with the same offer. Patterns
 * are deliberately narrow (English, Spanish, German): a miss falls through to the normal turn, a false alarm
 * still offers help, so precision matters more than recall here.
 */
import { asksForPrompt } from "./prompt-leak.ts";

/** prompt_leak: the message asks for the assistant's own instructions or keys (see prompt-leak.ts). */
export type ContentFlag = "self_harm" | "abuse" | "prompt_leak";

const SELF_HARM = [
  /\b(kill|hurt|harm)\s+my\s?self\b/i,
  /\b(suicid(e|al)|end (it all|my life)|want to die|don'?t want to live)\b/i,
  /\b(suicidarme|quitarme la vida|quiero morir)\b/i,
  /\b(umbringen|selbstmord|nicht mehr leben|will sterben)\b/i,
];

const ABUSE = [
  /\b(i('| a)?ll|i will|gonna|going to)\s+(kill|hurt|find|beat)\s+(you|your)\b/i,
  /\b(fuck(ing)? (you|off)|piece of shit|stupid (bitch|bot)|go to hell)\b/i,
  /\b(hijo de puta|vete a la mierda)\b/i,
  /\b(fick dich|arschloch|hurensohn)\b/i,
];

export function flagContent(message: string): ContentFlag | null {
  if (SELF_HARM.some((p) => p.test(message))) return "self_harm";
  if (ABUSE.some((p) => p.test(message))) return "abuse";
  if (asksForPrompt(message)) return "prompt_leak";
  return null;
}
