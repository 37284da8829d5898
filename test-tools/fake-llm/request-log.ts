// What the fake LLM has been asked, so tests can assert on what the client actually sent (model, tools,
// temperature, messages...) and on call counts such as "no embeddings on the second identical load".
// Filters exist because concurrent test files share one server: each filters by its own message or model.
// Used by server.ts (Node API, GET /_fake/requests and GET /_fake/stats).

export interface RecordedRequest {
  seq: number;
  receivedAt: string;
  model: string;
  temperature: number | null;
  /** Names of the tools offered to the model, in request order. */
  tools: string[];
  tool_choice: unknown;
  stream: boolean;
  messages: unknown[];
  lastUserMessage: string;
  /** From the SDK's x-stainless-retry-count header: >0 means this is an automatic retry. */
  retryCount: number;
  /** The rule and step that answered, or null for the default reply. */
  ruleId: string | null;
  stepIndex: number | null;
  /** The full request body, for anything not lifted into a field above. */
  body: Record<string, unknown>;
}

export interface RequestFilter {
  /** Substring of the last user message. */
  match?: string | undefined;
  model?: string | undefined;
}

export interface FakeStats {
  chatCompletions: number;
  embeddingCalls: number;
  embeddingInputs: number;
}

// Benchmarks send many thousands of requests; old entries go so memory stays bounded.
const MAX_RECORDED = 10_000;

export interface RequestLog {
  recordChat(entry: Omit<RecordedRequest, "seq" | "receivedAt">): void;
  recordEmbeddings(model: string, inputs: number): void;
  requests(filter?: RequestFilter): RecordedRequest[];
  stats(filter?: { model?: string | undefined }): FakeStats;
  clear(): void;
}

export function createRequestLog(): RequestLog {
  let chats: RecordedRequest[] = [];
  let counts = new Map<string, FakeStats>();
  let seq = 0;

  const countsFor = (model: string): FakeStats => {
    let entry = counts.get(model);
    if (entry === undefined) {
      entry = { chatCompletions: 0, embeddingCalls: 0, embeddingInputs: 0 };
      counts.set(model, entry);
    }
    return entry;
  };

  return {
    recordChat(entry) {
      chats.push({ seq: ++seq, receivedAt: new Date().toISOString(), ...entry });
      if (chats.length > MAX_RECORDED) chats = chats.slice(-MAX_RECORDED);
      countsFor(entry.model).chatCompletions++;
    },
    recordEmbeddings(model, inputs) {
      const entry = countsFor(model);
      entry.embeddingCalls++;
      entry.embeddingInputs += inputs;
    },
    requests(filter = {}) {
      const { match, model } = filter;
      return chats.filter(
        (entry) =>
          (match === undefined || entry.lastUserMessage.includes(match)) &&
          (model === undefined || entry.model === model),
      );
    },
    stats(filter = {}) {
      const total: FakeStats = { chatCompletions: 0, embeddingCalls: 0, embeddingInputs: 0 };
      for (const [model, entry] of counts) {
        if (filter.model !== undefined && filter.model !== model) continue;
        total.chatCompletions += entry.chatCompletions;
        total.embeddingCalls += entry.embeddingCalls;
        total.embeddingInputs += entry.embeddingInputs;
      }
      return total;
    },
    clear() {
      chats = [];
      counts = new Map();
    },
  };
}
