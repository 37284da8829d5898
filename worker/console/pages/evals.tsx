/** @jsxImportSource hono/jsx */
/**
 * Admin only: the golden evals. A button that starts a run, the trend of the headline scores over the recent
 * runs (server-drawn SVG bars, oldest first, each followed by the runs table, which is the accessible view), and
 * every run with its scores, status and the metrics that fell more than 2 points. The same list
 * GET /api/admin/evals answers.
 */
import type { StaffMember } from "../../../core/contracts/console.ts";
import type { EvalRun } from "../../../db/eval-runs.ts";
import { EVAL_METRICS } from "../../../evals/nightly.ts";
import { DayChart } from "../day-chart.tsx";
import { EVAL_METRIC_LABELS, regressionText, scorePercent } from "../eval-labels.ts";
import { utcTime } from "../format.ts";
import { Layout } from "../layout.tsx";

const TREND_METRICS = ["routing_lenient", "retrieval_recall_at_3"] as const;

export function EvalsPage(props: {
  shop: string;
  staff: StaffMember;
  csrf: string | null;
  runs: EvalRun[];
  notice?: string | undefined;
}) {
  const scored = props.runs.filter((r) => r.scores !== null).reverse();
  const latest = props.runs.find((r) => r.status === "succeeded");
  return (
    <Layout title="Evals" shop={props.shop} staff={props.staff} csrf={props.csrf} current="/console/evals">
      <h1>Evals</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <p class="definition">
        Every night the golden routing set and the help-centre questions of the answer set run against the
        live configuration: the configured brain picks each message's tool, and the agent's own search finds
        each question's articles (recall@3: the right article among the 3 the agent reads). A metric more than
        2 points below the run before it is flagged here and on the Overview.
      </p>
      {latest && latest.regressions.length > 0 ? (
        <section class="card" role="status" aria-labelledby="drop-title">
          <h2 id="drop-title">Warning: the latest run fell</h2>
          <ul>
            {latest.regressions.map((r) => (
              <li>{regressionText(r)}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <form method="post" action="/console/evals/run" class="card">
        <h2>Run now</h2>
        <p>Takes about a minute with the offline brain, longer with a model (one call per case).</p>
        <input type="hidden" name="csrf" value={props.csrf ?? ""} />
        <button type="submit">Run the evals</button>
      </form>
      {TREND_METRICS.map((metric) => (
        <DayChart
          id={`c-${metric}`}
          title={`${EVAL_METRIC_LABELS[metric]} (%)`}
          per="run"
          unit="%"
          format={(n) => `${n.toFixed(1)}`}
          points={scored.map((r) => ({ day: utcTime(r.started), value: (r.scores?.[metric] ?? 0) * 100 }))}
        />
      ))}
      <section class="table-wrap" tabindex={0} aria-labelledby="runs-caption">
        <table>
          <caption id="runs-caption">Runs, newest first: the charts' data</caption>
          <thead>
            <tr>
              <th scope="col">Started (UTC)</th>
              <th scope="col">Trigger</th>
              <th scope="col">Status</th>
              <th scope="col">Brain</th>
              {EVAL_METRICS.map((m) => (
                <th scope="col">{EVAL_METRIC_LABELS[m]}</th>
              ))}
              <th scope="col">Flag</th>
            </tr>
          </thead>
          <tbody>
            {props.runs.map((r) => (
              <tr>
                <th scope="row">{utcTime(r.started)}</th>
                <td>{r.trigger}</td>
                <td>
                  {r.status}
                  {r.errorCode ? ` (${r.errorCode})` : ""}
                </td>
                <td>
                  {r.brain ?? "—"}
                  {r.searchMode ? `, ${r.searchMode}` : ""}
                </td>
                {EVAL_METRICS.map((m) => (
                  <td>{scorePercent(r.scores?.[m])}</td>
                ))}
                <td>
                  {r.regressions.length > 0 ? `Fell: ${r.regressions.map(regressionText).join("; ")}` : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {props.runs.length === 0 ? <p>No runs yet.</p> : null}
    </Layout>
  );
}
