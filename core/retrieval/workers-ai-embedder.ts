/**
 * Embeddings through the Workers AI binding (`env.AI`), for the Worker side: no key, no extra hop. Index the
 * help centre with the same model through Workers AI's OpenAI-compatible endpoint (kb-loader runs in Node and
 * cannot use a binding), so queries and documents share one vector space.
 */
import { z } from "zod";
import type { Embedder } from "./embedder.ts";

/** The one method of the Workers AI binding this module needs. */
export interface AiBinding {
  run(model: string, input: { text: string[] }): Promise<unknown>;
}

const outputSchema = z.object({ data: z.array(z.array(z.number())) });

/** Workers AI takes up to 100 texts per embedding call. */
const BATCH = 100;

export function workersAiEmbedder(ai: AiBinding, model: string, dimensions: number): Embedder {
  return {
    model,
    dimensions,
    async embed(texts, signal) {
      const vectors: number[][] = [];
      for (let i = 0; i < texts.length; i += BATCH) {
        signal?.throwIfAborted();
        const { data } = outputSchema.parse(await ai.run(model, { text: texts.slice(i, i + BATCH) }));
        if (data.some((v) => v.length !== dimensions)) {
          throw new Error(`${model} returned vectors that are not ${dimensions} wide`);
        }
        vectors.push(...data);
      }
      if (vectors.length !== texts.length)
        throw new Error(`${model} returned ${vectors.length} vectors for ${texts.length} texts`);
      return vectors;
    },
  };
}

/** The Worker's `AI` binding, when wrangler.jsonc declares one (`"ai": { "binding": "AI" }`). */
export function aiBindingOf(env: object): AiBinding | undefined {
  const ai: unknown = Reflect.get(env, "AI");
  if (typeof ai !== "object" || ai === null) return undefined;
  const run: unknown = Reflect.get(ai, "run");
  return typeof run === "function" ? { run: (model, input) => run.call(ai, model, input) } : undefined;
}
