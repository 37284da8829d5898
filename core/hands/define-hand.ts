/**
 * The shape of a Hand: a deterministic tool with strict zod input and output. The Brain sees only the name,
 * the description and the JSON schema of the input; the orchestrator parses the Brain's arguments with `input`
 * and every result with `output`. Time, ids and data access come in through the context, never from globals.
 */
import type { z } from "zod";
import type { Language } from "../contracts/language.ts";
import type { Channel, Identity } from "../contracts/thread.ts";
import type { HandPorts } from "./ports.ts";

/** inline: run by the thread under the turn deadline. queue: a side effect, run by the tool-step consumer. */
export type Dispatch = "inline" | "queue";

export interface HandContext {
  /** Unique per tool call; side effects are keyed by it so a redelivered step does nothing twice. */
  callId: string;
  threadId: string;
  channel: Channel;
  identity: Identity | null;
  /** The language of the visitor's message this turn (core/brain/languages.ts); inline tools only. */
  language?: Language;
  now: Date;
  signal: AbortSignal;
  ports: HandPorts;
}

export interface Hand<I = unknown, O = unknown> {
  name: string;
  description: string;
  input: z.ZodType<I>;
  output: z.ZodType<O>;
  dispatch: Dispatch;
  run(input: I, ctx: HandContext): Promise<O>;
}

/**
 * @example
 * export const getOrder = defineHand({ name: "get_order", input, output, dispatch: "inline", run: ... });
 */
export function defineHand<I, O>(hand: Hand<I, O>): Hand<I, O> {
  return hand;
}
