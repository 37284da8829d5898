/**
 * The admin retrieval tester: a question through the agent's own search (hand-ports.ts agentKbSearch), the
 * fused top 8 with their lexical, vector, fused and rerank scores, and a mark on the passages search_kb would
 * hand the Brain. The mark comes from a second search with the agent's own top_k rather than from cutting the
 * list, so it stays right for any reranker, not only one whose order does not depend on how many it returns.
 */
import type { Channel } from "../core/contracts/thread.ts";
import { maskPii } from "../core/guardrails/pii.ts";
import { SEARCH_KB_DEFAULT_TOP_K } from "../core/hands/search-kb.ts";
import type { DetailedKbSearch, KbHitScores, SearchMode } from "./kb-search.ts";

/** The reranker's depth: how many fused candidates the agent's search considers. */
export const TESTER_DEPTH = 8;

export interface RetrievalTestResult {
  rank: number;
  chunkId: string;
  docId: string;
  title: string;
  section: string;
  url: string;
  scores: KbHitScores;
  usedByAgent: boolean;
}

export interface RetrievalTest {
  /** The question as searched (PII masked, as search_kb does). */
  query: string;
  mode: SearchMode;
  channel: Channel;
  agentTopK: number;
  results: RetrievalTestResult[];
}

export async function testRetrieval(
  search: DetailedKbSearch,
  question: string,
  options: { channel: Channel; signal: AbortSignal },
): Promise<RetrievalTest> {
  const query = maskPii(question);
  const [all, used] = await Promise.all([
    search.search(query, { ...options, topK: TESTER_DEPTH }),
    search.search(query, { ...options, topK: SEARCH_KB_DEFAULT_TOP_K }),
  ]);
  const usedIds = new Set(used.map((h) => h.chunkId));
  return {
    query,
    mode: search.mode,
    channel: options.channel,
    agentTopK: SEARCH_KB_DEFAULT_TOP_K,
    results: all.map((h, index) => ({
      rank: index + 1,
      chunkId: h.chunkId,
      docId: h.docId,
      title: h.title,
      section: h.section,
      url: h.url,
      scores: h.scores,
      usedByAgent: usedIds.has(h.chunkId),
    })),
  };
}
