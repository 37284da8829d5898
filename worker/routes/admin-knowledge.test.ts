import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { call, openThread } from "../../test-tools/agent-api.ts";
import { eventually, query } from "../../test-tools/remote-controls.ts";

const ADMIN = { authorization: "Bearer test-admin-token-0123456789abcdef" };
const JSON_ADMIN = { ...ADMIN, "content-type": "application/json" };

interface Overview {
  embedding: { provider: string; model: string | null; coverage: { embedded: number; total: number } };
  sources: {
    id: string;
    docCount: number;
    chunkCount: number;
    coverage: { embedded: number; total: number };
    languages: { language: string; originals: number; translations: number }[];
  }[];
}

describe("GET /api/admin/kb", () => {
  it("counts the searchable chunks with a vector, per source and in all, beside the configured model", async () => {
    // A source of our own with two reviewed chunks, one embedded; no channel may find them.
    const source = `test-coverage-${crypto.randomUUID().slice(0, 8)}`;
    await query(async (db) => {
      await db.execute(sql`insert into kb_sources (id, kind, location, doc_count, chunk_count, last_loaded_at)
        values (${source}, 'records', 'test', 1, 2, now())`);
      await db.execute(sql`insert into kb_docs (id, source_id, title, url, allowed_channels, reviewed, content_hash)
        values (${`${source}-doc`}, ${source}, 'Coverage', 'https://fernhill.example/c', '{}', true, 'h')`);
      // Its Spanish translation: one more document, not one more article.
      await db.execute(sql`insert into kb_docs
        (id, source_id, title, url, allowed_channels, reviewed, content_hash, language, translation_of)
        values (${`${source}-doc.es`}, ${source}, 'Cobertura', 'https://fernhill.example/es/c', '{}', true, 'h2',
          'es', ${`${source}-doc`})`);
      await db.execute(sql`insert into kb_chunks
        (id, doc_id, ordinal, title, body, url, allowed_channels, reviewed, token_count, content_hash, embedding)
        values (${`${source}-1`}, ${`${source}-doc`}, 0, 'Coverage', 'one', 'https://fernhill.example/c', '{}', true,
            1, 'a', array_fill(0.1::real, array[(select atttypmod from pg_attribute
              where attrelid = 'kb_chunks'::regclass and attname = 'embedding')])::vector),
          (${`${source}-2`}, ${`${source}-doc`}, 1, 'Coverage', 'two', 'https://fernhill.example/c', '{}', true,
            1, 'b', null)`);
    });
    const [hand] = await query((db) =>
      db.execute<{ total: string; embedded: string }>(
        sql`select count(*) as total, count(embedding) as embedded from kb_chunks where reviewed`,
      ),
    );
    const response = await call("/api/admin/kb", { headers: ADMIN });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Overview;
    // The test Worker has no embedding provider: lexical search only.
    expect(body.embedding).toMatchObject({ provider: "none", model: null });
    expect(body.embedding.coverage.total).toBe(Number(hand?.total));
    expect(body.embedding.coverage.embedded).toBe(Number(hand?.embedded));
    expect(body.sources.find((s) => s.id === source)).toMatchObject({
      docCount: 1,
      chunkCount: 2,
      coverage: { embedded: 1, total: 2, ratio: 0.5 },
      languages: [
        { language: "en", originals: 1, translations: 0 },
        { language: "es", originals: 0, translations: 1 },
      ],
    });
    await query((db) => db.execute(sql`delete from kb_docs where source_id = ${source}`));
    await query((db) => db.execute(sql`delete from kb_sources where id = ${source}`));
  });
});

interface TesterBody {
  mode: string;
  agentTopK: number;
  results: {
    rank: number;
    chunkId: string;
    usedByAgent: boolean;
    scores: { lexical: number | null; fused: number; rerank: number };
  }[];
}

describe("POST /api/admin/kb/search (the retrieval tester)", () => {
  it("marks exactly the passages the agent retrieved and cited for the same question", async () => {
    const question = "How long does delivery to the UK take?";
    const { threadId, reply } = await openThread(question);
    const call0 = await eventually(async () => {
      const [row] = await query((db) =>
        db.execute<{ args: { query: string }; result: { results: { chunk_id: string }[] } }>(
          sql`select args, result from tool_calls where thread_id = ${threadId} and tool = 'search_kb'`,
        ),
      );
      return row;
    });
    const agentChunks = call0.result.results.map((r) => r.chunk_id);
    expect(agentChunks).toHaveLength(3);
    const cited = reply.message.citations.map((c) => c.chunkId);
    expect(cited.length).toBeGreaterThan(0);

    const response = await call("/api/admin/kb/search", {
      method: "POST",
      headers: JSON_ADMIN,
      body: JSON.stringify({ query: call0.args.query }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as TesterBody;
    expect(body).toMatchObject({ mode: "lexical", agentTopK: 3 });
    expect(body.results).toHaveLength(8);
    expect(body.results.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const marked = body.results.filter((r) => r.usedByAgent).map((r) => r.chunkId);
    expect(marked).toEqual(agentChunks);
    for (const chunk of cited) expect(marked).toContain(chunk);
    // Lexical mode: every passage has a BM25 score, and the rerank order is the list order.
    for (const r of body.results) expect(r.scores.lexical).toEqual(expect.any(Number));
    const reranks = body.results.map((r) => r.scores.rerank);
    expect(reranks).toEqual([...reranks].sort((a, b) => b - a));
  });

  it("refuses a missing or too short question and unknown fields with 400, and a cookie-less caller with 401", async () => {
    const cases: [unknown, string][] = [
      [{}, "invalid_input:query"],
      [{ query: "a" }, "invalid_input:query"],
      [{ query: "returns", limit: 3 }, "invalid_input:body"],
      [{ query: "returns", channel: "fax" }, "invalid_input:channel"],
    ];
    for (const [payload, code] of cases) {
      const response = await call("/api/admin/kb/search", {
        method: "POST",
        headers: JSON_ADMIN,
        body: JSON.stringify(payload),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    const anonymous = await call("/api/admin/kb/search", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "returns" }),
    });
    expect(anonymous.status).toBe(401);
  });
});

describe("GET /api/admin/kb/unanswered", () => {
  it("groups seeded searches without a usable hit and rated-down replies by their normalised question", async () => {
    // Letters only: a run of digits in the marker would be folded to "#" like an order number.
    const marker = `zorblax${[...crypto.getRandomValues(new Uint8Array(6))].map((b) => String.fromCharCode(97 + (b % 26))).join("")}`;
    const seeded = [
      { text: `Do you sell ${marker} tents?`, kind: "no_hit", daysAgo: 1 },
      { text: `do you sell ${marker} tents`, kind: "no_hit", daysAgo: 2 },
      { text: `Do you sell ${marker.toUpperCase()} tents!!`, kind: "rated_down", daysAgo: 0 },
      { text: `${marker} warranty for anna.k@example.com`, kind: "not_cited", daysAgo: 0 },
      // Answered with a citation: not a miss.
      { text: `${marker} answered fine`, kind: "cited", daysAgo: 1 },
      // Outside the 30-day window.
      { text: `Do you sell ${marker} tents`, kind: "no_hit", daysAgo: 40 },
    ];
    const threads: string[] = [];
    for (const s of seeded) threads.push(await seedExchange(s.text, s.kind, s.daysAgo));

    const response = await call("/api/admin/kb/unanswered?days=30&limit=200", { headers: ADMIN });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      groups: { question: string; count: number; reasons: Record<string, number>; threadIds: string[] }[];
    };
    const ours = body.groups.filter((g) => g.question.toLowerCase().includes(marker));
    expect(ours).toEqual([
      {
        question: `Do you sell ${marker.toUpperCase()} tents!!`,
        key: `do you sell ${marker} tents`,
        count: 3,
        reasons: { no_hit: 2, not_cited: 0, rated_down: 1 },
        lastAt: expect.any(String),
        threadIds: [threads[2], threads[0], threads[1]],
      },
      {
        question: `${marker} warranty for [EMAIL]`,
        key: `${marker} warranty for [email]`,
        count: 1,
        reasons: { no_hit: 0, not_cited: 1, rated_down: 0 },
        lastAt: expect.any(String),
        threadIds: [threads[3]],
      },
    ]);
    expect(JSON.stringify(body)).not.toContain("anna.k@example.com");

    const bad = await call("/api/admin/kb/unanswered?days=365", { headers: ADMIN });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_input:days");
    const badLimit = await call("/api/admin/kb/unanswered?limit=0", { headers: ADMIN });
    expect(((await badLimit.json()) as { error: { code: string } }).error.code).toBe("invalid_input:limit");
  });
});

/** One visitor question and the agent's reply, written as the recorder writes them. */
async function seedExchange(text: string, kind: string, daysAgo: number): Promise<string> {
  const threadId = crypto.randomUUID();
  const turnId = `turn-${crypto.randomUUID()}`;
  const replyId = crypto.randomUUID();
  const at = new Date(Date.now() - daysAgo * 86_400_000 - 60_000).toISOString();
  const hits = kind === "no_hit" ? [] : [{ chunk_id: "c1", doc_id: "d1" }];
  const citations = kind === "cited" ? [{ ref: "1", chunkId: "c1", docId: "d1", title: "t", url: "u" }] : [];
  await query(async (db) => {
    await db.execute(
      sql`insert into threads (id, channel, created_at, updated_at) values (${threadId}, 'web', ${at}::timestamptz, ${at}::timestamptz)`,
    );
    await db.execute(sql`insert into messages (id, thread_id, seq, role, content, created_at)
      values (${crypto.randomUUID()}, ${threadId}, 1, 'user', ${text}, ${at}::timestamptz)`);
    await db.execute(sql`insert into messages (id, thread_id, seq, role, content, citations, meta, created_at)
      values (${replyId}, ${threadId}, 2, 'assistant', 'a reply', ${JSON.stringify(citations)}::jsonb,
        ${JSON.stringify({ turnId })}::jsonb, ${at}::timestamptz)`);
    if (kind !== "rated_down") {
      await db.execute(sql`insert into tool_calls (id, thread_id, turn_id, tool, dispatch, args, result, status, created_at)
        values (${crypto.randomUUID()}, ${threadId}, ${turnId}, 'search_kb', 'inline',
          ${JSON.stringify({ query: text.replace("anna.k@example.com", "[EMAIL]"), top_k: 3 })}::jsonb,
          ${JSON.stringify({ results: hits })}::jsonb, 'succeeded', ${at}::timestamptz)`);
    } else {
      await db.execute(sql`insert into feedback (message_id, thread_id, rating, created_at)
        values (${replyId}, ${threadId}, 'down', ${at}::timestamptz)`);
    }
  });
  return threadId;
}
