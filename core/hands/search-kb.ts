/**
 * search_kb: finds help-centre passages for a question. The query is PII-masked before it is searched (and,
 * with embeddings, before it is embedded), and results are filtered by the thread's channel. Articles come in
 * the visitor's language when translated (the turn's detected language), else in the original; each passage
 * says which.
 */
import { z } from "zod";
import { languageSchema } from "../contracts/language.ts";
import { cleanString } from "../contracts/text.ts";
import { maskPii } from "../guardrails/pii.ts";
import { defineHand } from "./define-hand.ts";

/** Passages the agent reads when the Brain does not say (the offline brain always asks for this many). */
export const SEARCH_KB_DEFAULT_TOP_K = 3;

export const searchKbInput = z.strictObject({
  query: cleanString()
    .trim()
    .min(2)
    .max(500)
    .describe("The visitor's question, rephrased as a search query."),
  top_k: z.number().int().min(1).max(8).nullable().describe("How many passages to return (default 3)."),
});

export const kbResultSchema = z.object({
  chunk_id: z.string(),
  doc_id: z.string(),
  title: z.string(),
  section: z.string(),
  url: z.string(),
  // Results recorded before passages had a language were English.
  language: languageSchema.default("en"),
  snippet: z.string(),
});

export const searchKbOutput = z.object({ results: z.array(kbResultSchema) });
export type SearchKbOutput = z.infer<typeof searchKbOutput>;

export const searchKb = defineHand({
  name: "search_kb",
  description:
    "Search the shop's help centre (shipping, returns, refunds, exchanges, warranty, payments, invoices, account, products). Use for any policy or how-to question. Cite results by their ref.",
  input: searchKbInput,
  output: searchKbOutput,
  dispatch: "inline",
  async run(input, ctx) {
    const hits = await ctx.ports.kb.search(maskPii(input.query), {
      topK: input.top_k ?? SEARCH_KB_DEFAULT_TOP_K,
      channel: ctx.channel,
      language: ctx.language ?? "en",
      signal: ctx.signal,
    });
    return {
      results: hits.map((h) => ({
        chunk_id: h.chunkId,
        doc_id: h.docId,
        title: h.title,
        section: h.section,
        url: h.url,
        language: h.language,
        snippet: h.snippet,
      })),
    };
  },
});
