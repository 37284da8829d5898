// Scripting for the fake LLM: rules say what the "model" answers, step by step. Many test files share one
// server concurrently, so a rule is selected by the last user message and/or the model name, and each
// request it applies to consumes its next step. Used by server.ts (Node API and /_fake/rules).

import { z } from "zod";

const toolCallSchema = z.strictObject({
  id: z.string().min(1).optional(),
  name: z.string().min(1),
  // A string goes out verbatim so tests can send malformed JSON on purpose; an object is JSON-stringified.
  arguments: z.union([z.string(), z.record(z.string(), z.unknown())]),
});

const stepErrorSchema = z.strictObject({
  status: z.number().int().min(400).max(599),
  message: z.string().optional(),
  type: z.string().optional(),
  code: z.string().nullable().optional(),
  // The SDK honours these headers, which lets retry tests run without its 0.5-8 s backoff.
  retryAfterMs: z.number().min(0).optional(),
  shouldRetry: z.boolean().optional(),
});

export const stepSchema = z.strictObject({
  text: z.string().optional(),
  tool_calls: z.array(toolCallSchema).min(1).optional(),
  finish_reason: z.enum(["stop", "length", "tool_calls", "content_filter"]).optional(),
  delayMs: z.number().int().min(0).optional(),
  /** Pause between streamed chunks, so a client can disconnect or time out mid-stream. */
  chunkDelayMs: z.number().int().min(0).optional(),
  error: stepErrorSchema.optional(),
  /** Never finish. With stream: true and text/tool_calls, the deltas are sent first, then the stream stalls. */
  hang: z.boolean().optional(),
  malformed: z.enum(["body", "stream"]).optional(),
  /**
   * Appends what the model was shown to `text`: the system message, or every tool result of the request. An
   * obedient, exfiltrating model for the red-team suite: whatever it saw, it repeats.
   */
  echo: z.enum(["system", "tool_results"]).optional(),
  usage: z
    .strictObject({ prompt_tokens: z.number().int().min(0), completion_tokens: z.number().int().min(0) })
    .optional(),
});

export const ruleSchema = z.strictObject({
  /** Substring of the last user message. */
  match: z.string().min(1).optional(),
  /** Exact request model. */
  model: z.string().min(1).optional(),
  responses: z.array(stepSchema).min(1),
  repeat: z.boolean().optional(),
});

export type Step = z.infer<typeof stepSchema>;
export type StepToolCall = z.infer<typeof toolCallSchema>;
export type Rule = z.infer<typeof ruleSchema>;

export interface RuleSummary extends Rule {
  id: string;
  /** How many requests this rule has answered so far. */
  hits: number;
  exhausted: boolean;
}

export interface SelectedStep {
  ruleId: string;
  stepIndex: number;
  step: Step;
}

interface StoredRule {
  id: string;
  rule: Rule;
  hits: number;
}

export class RuleValidationError extends Error {}

export function parseRule(input: unknown): Rule {
  const parsed = ruleSchema.safeParse(input);
  if (!parsed.success)
    throw new RuleValidationError(`invalid fake-llm rule: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function isLive(stored: StoredRule): boolean {
  return stored.hits < stored.rule.responses.length || stored.rule.repeat === true;
}

export interface RuleBook {
  add(input: unknown): string;
  remove(id: string): boolean;
  clear(): void;
  list(): RuleSummary[];
  hits(id: string): number;
  /** Picks the newest live rule that applies and consumes its next step, atomically per request. */
  take(lastUserMessage: string, model: string): SelectedStep | undefined;
}

export function createRuleBook(): RuleBook {
  let rules: StoredRule[] = [];
  let nextId = 1;

  return {
    add(input) {
      const rule = parseRule(input);
      const id = `rule_${nextId++}`;
      rules.push({ id, rule, hits: 0 });
      return id;
    },
    remove(id) {
      const before = rules.length;
      rules = rules.filter((stored) => stored.id !== id);
      return rules.length !== before;
    },
    clear() {
      rules = [];
    },
    list() {
      return rules.map((stored) => ({
        ...stored.rule,
        id: stored.id,
        hits: stored.hits,
        exhausted: !isLive(stored),
      }));
    },
    hits(id) {
      return rules.find((stored) => stored.id === id)?.hits ?? 0;
    },
    take(lastUserMessage, model) {
      for (let i = rules.length - 1; i >= 0; i--) {
        const stored = rules[i];
        if (stored === undefined || !isLive(stored)) continue;
        const { match, model: wanted, responses } = stored.rule;
        if (match !== undefined && !lastUserMessage.includes(match)) continue;
        if (wanted !== undefined && wanted !== model) continue;
        const stepIndex = Math.min(stored.hits, responses.length - 1);
        const step = responses[stepIndex];
        if (step === undefined) continue;
        stored.hits++;
        return { ruleId: stored.id, stepIndex, step };
      }
      return undefined;
    },
  };
}
