/** @jsxImportSource hono/jsx */
/**
 * Admin only: the help centre. Each source's documents, chunks, vector coverage and freshness, a rebuild of the
 * index, the retrieval tester (a GET form: the agent's own search, the top 8 with every score and the passages
 * the agent would use marked in words) and the questions the agent could not answer, grouped. The same objects
 * GET /api/admin/kb, POST /api/admin/kb/search and GET /api/admin/kb/unanswered answer.
 */
import type { StaffMember } from "../../../core/contracts/console.ts";
import type { UnansweredGroup } from "../../../core/knowledge/unanswered.ts";
import type { KbOverview, LanguageCount } from "../../../db/kb-overview.ts";
import type { RetrievalTest } from "../../../db/kb-tester.ts";
import { Figures } from "../figures.tsx";
import { percent, utcTime } from "../format.ts";
import { Layout } from "../layout.tsx";

const score = (n: number | null, digits = 3) => (n === null ? "—" : n.toFixed(digits));

export interface TesterState {
  question: string;
  channel: string;
  result: RetrievalTest | null;
  error: string | null;
}

export function KnowledgePage(props: {
  shop: string;
  staff: StaffMember;
  csrf: string | null;
  overview: KbOverview;
  unanswered: { since: string; groups: UnansweredGroup[] };
  tester: TesterState;
  notice?: string | undefined;
}) {
  const o = props.overview;
  const e = o.embedding;
  const figures: [string, string][] = [
    ["Search", o.available ? "on" : `off: ${o.reason ?? ""}`],
    ["Searchable chunks", String(o.searchableChunks)],
    ["Embedding model", e.model ? `${e.model} (${e.provider})` : "none: lexical search only"],
    [
      "Vector coverage",
      `${e.coverage.embedded} of ${e.coverage.total} chunks (${percent(e.coverage.ratio)})`,
    ],
    ["Stale after", o.maxAgeHours > 0 ? `${o.maxAgeHours} hours` : "never"],
  ];
  return (
    <Layout
      title="Knowledge"
      shop={props.shop}
      staff={props.staff}
      csrf={props.csrf}
      current="/console/knowledge"
    >
      <h1>Knowledge</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <Figures figures={figures} />
      <section class="table-wrap" tabindex={0} aria-labelledby="sources-caption">
        <table>
          <caption id="sources-caption">Sources</caption>
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Kind</th>
              <th scope="col">Documents</th>
              <th scope="col">Chunks</th>
              <th scope="col">Languages</th>
              <th scope="col">With a vector</th>
              <th scope="col">Vectors made with</th>
              <th scope="col">Last load</th>
              <th scope="col">Freshness</th>
            </tr>
          </thead>
          <tbody>
            {o.sources.map((s) => (
              <tr>
                <th scope="row">{s.id}</th>
                <td>{s.kind}</td>
                <td>{s.docCount}</td>
                <td>{s.chunkCount}</td>
                <td>{languageSummary(s.languages)}</td>
                <td>
                  {s.coverage.embedded} of {s.coverage.total} ({percent(s.coverage.ratio)})
                </td>
                <td>
                  {s.embeddingModel ?? "—"}
                  {s.modelMismatch ? " (not the configured model: run kb:load)" : ""}
                </td>
                <td>{utcTime(s.lastLoadedAt, "never")}</td>
                <td>
                  {s.stale ? "Stale" : "Fresh"}
                  {s.ageHours === null ? "" : `, ${s.ageHours} h old`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <form method="post" action="/console/knowledge/rebuild" class="card">
        <h2>Rebuild the index</h2>
        <p>
          Refreshes the search statistics and embeds chunks that have no vector yet. Changed articles need a
          load (<code>npm run kb:load</code>).
        </p>
        <input type="hidden" name="csrf" value={props.csrf ?? ""} />
        <button type="submit">Rebuild the index</button>
      </form>
      <Tester tester={props.tester} />
      <Unanswered {...props.unanswered} />
    </Layout>
  );
}

function Tester(props: { tester: TesterState }) {
  const t = props.tester;
  return (
    <section class="card" aria-labelledby="tester-title">
      <h2 id="tester-title">Retrieval tester</h2>
      <p>
        Asks the help centre exactly as the agent does and shows the 8 best passages. The ones marked “used”
        are what the agent would read and cite.
      </p>
      <form method="get" action="/console/knowledge#tester-title" class="filters">
        <label for="q">Question</label>
        <input id="q" name="q" type="search" value={t.question} maxlength={500} required size={50} />
        <label for="channel">Channel</label>
        <select id="channel" name="channel">
          {["web", "slack", "email"].map((c) => (
            <option value={c} selected={c === t.channel}>
              {c}
            </option>
          ))}
        </select>
        <button type="submit">Search</button>
      </form>
      {t.error ? <p class="error">{t.error}</p> : null}
      {t.result ? (
        <section class="table-wrap" tabindex={0} aria-labelledby="tester-caption">
          <table>
            <caption id="tester-caption">
              Top {t.result.results.length} for “{t.result.query}” ({t.result.mode} search, {t.result.channel}
              ; the agent uses the first {t.result.agentTopK} after reranking)
            </caption>
            <thead>
              <tr>
                <th scope="col">Rank</th>
                <th scope="col">Agent</th>
                <th scope="col">Passage</th>
                <th scope="col">Lexical (rank)</th>
                <th scope="col">Vector (rank)</th>
                <th scope="col">Fused</th>
                <th scope="col">Rerank</th>
              </tr>
            </thead>
            <tbody>
              {t.result.results.map((r) => (
                <tr>
                  <th scope="row">{r.rank}</th>
                  <td>{r.usedByAgent ? "Used" : "Not used"}</td>
                  <td>
                    {/^https?:\/\//.test(r.url) ? <a href={r.url}>{r.title}</a> : r.title}
                    {r.section ? ` · ${r.section}` : ""}
                  </td>
                  <td>
                    {score(r.scores.lexical)}
                    {r.scores.lexicalRank === null ? "" : ` (${r.scores.lexicalRank})`}
                  </td>
                  <td>
                    {score(r.scores.vector)}
                    {r.scores.vectorRank === null ? "" : ` (${r.scores.vectorRank})`}
                  </td>
                  <td>{score(r.scores.fused, 4)}</td>
                  <td>{score(r.scores.rerank)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : t.question && !t.error ? (
        <p>No passage matches.</p>
      ) : null}
    </section>
  );
}

function Unanswered(props: { since: string; groups: UnansweredGroup[] }) {
  return (
    <section aria-labelledby="unanswered-title">
      <h2 id="unanswered-title">Questions we could not answer</h2>
      <p>
        Since {utcTime(props.since, "never")}: searches that found no passage or whose reply cited none, and
        questions whose reply was rated down, grouped by wording. Each is an article to write or improve.
      </p>
      {props.groups.length === 0 ? (
        <p>None in this period.</p>
      ) : (
        <section class="table-wrap" tabindex={0} aria-labelledby="unanswered-caption">
          <table>
            <caption id="unanswered-caption" class="sr">
              Unanswered questions, most asked first
            </caption>
            <thead>
              <tr>
                <th scope="col">Question</th>
                <th scope="col">Times</th>
                <th scope="col">No passage</th>
                <th scope="col">Not cited</th>
                <th scope="col">Rated down</th>
                <th scope="col">Last</th>
                <th scope="col">Conversations</th>
              </tr>
            </thead>
            <tbody>
              {props.groups.map((g) => (
                <tr>
                  <th scope="row">{g.question}</th>
                  <td>{g.count}</td>
                  <td>{g.reasons.no_hit}</td>
                  <td>{g.reasons.not_cited}</td>
                  <td>{g.reasons.rated_down}</td>
                  <td>{utcTime(g.lastAt, "never")}</td>
                  <td>
                    {g.threadIds.map((id, i) => (
                      <>
                        {i > 0 ? ", " : ""}
                        <a
                          href={`/console/conversations/${id}`}
                          aria-label={`Conversation ${i + 1} of “${g.question}”`}
                        >
                          {i + 1}
                        </a>
                      </>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}

/** "en 50; es 14 translated" — originals and translations per language, so translations are not read as more articles. */
function languageSummary(languages: LanguageCount[]): string {
  if (languages.length === 0) return "—";
  return languages
    .flatMap((l) => [
      ...(l.originals > 0 ? [`${l.language} ${l.originals}`] : []),
      ...(l.translations > 0 ? [`${l.language} ${l.translations} translated`] : []),
    ])
    .join("; ");
}
