/** @jsxImportSource hono/jsx */
/**
 * Admin only: the ops Overview, rendered from the same object GET /api/admin/metrics answers. Headline figures,
 * the resolution definition beside its rate, latency by turn kind, and per-day charts each followed by its data
 * table (the table is the accessible view: focusable, captioned, one row per day).
 */

import type { StaffMember } from "../../../core/contracts/console.ts";
import type { Metrics, MetricsWindow } from "../../../core/contracts/metrics.ts";
import type { EvalRun } from "../../../db/eval-runs.ts";
import { DayChart } from "../day-chart.tsx";
import { regressionText } from "../eval-labels.ts";
import { Figures } from "../figures.tsx";
import { percent, usd } from "../format.ts";
import { Layout } from "../layout.tsx";

const WINDOWS: MetricsWindow[] = ["24h", "7d", "30d"];

export function OverviewPage(props: {
  shop: string;
  staff: StaffMember;
  csrf: string | null;
  metrics: Metrics;
  /** The newest eval run, when it fell more than 2 points below the one before. */
  regressedEval?: EvalRun | null;
}) {
  const m = props.metrics;
  const figures: [string, string][] = [
    ["Conversations", String(m.conversations)],
    ["Turns", String(m.turns)],
    ["Resolution rate", `${percent(m.resolutionRate)} (${m.resolved} resolved, ${m.pending} pending)`],
    ["Handoff rate", `${percent(m.handoffRate)} (${m.handoffs})`],
    ["CSAT (thumbs)", `${percent(m.csat)} (${m.thumbsUp} up, ${m.thumbsDown} down)`],
    ["Degraded turns", String(m.degradedTurns)],
    ["Failed turns", String(m.failedTurns)],
    [
      "Model tokens",
      `${m.promptTokens + m.completionTokens} (${m.promptTokens} prompt, ${m.completionTokens} completion)`,
    ],
    ["Model cost", usd(m.costUsd)],
    ["Cost per resolved conversation", usd(m.costPerResolvedUsd)],
  ];
  return (
    <Layout
      title="Overview"
      shop={props.shop}
      staff={props.staff}
      csrf={props.csrf}
      current="/console/overview"
    >
      <h1>Overview</h1>
      {props.regressedEval ? (
        <section class="card" role="status" aria-labelledby="eval-drop">
          <h2 id="eval-drop">Warning: the evals fell</h2>
          <p>
            The eval run of {props.regressedEval.started.slice(0, 16).replace("T", " ")} UTC scored more than
            2 points below the run before it:
          </p>
          <ul>
            {props.regressedEval.regressions.map((r) => (
              <li>{regressionText(r)}</li>
            ))}
          </ul>
          <p>
            <a href="/console/evals">See the runs on the Evals page</a>
          </p>
        </section>
      ) : null}
      <nav aria-label="Window">
        <ul class="windows">
          {WINDOWS.map((w) => (
            <li>
              <a href={`/console/overview?window=${w}`} aria-current={w === m.window ? "page" : undefined}>
                {w}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <p>
        From {m.since} to {m.until} (UTC).
      </p>
      <Figures figures={figures} />
      <p class="definition">
        <strong>Resolved:</strong> {m.resolutionDefinition}
      </p>
      <table>
        <caption>Reply time by turn kind (p50 / p95, ms)</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Turns</th>
            <th scope="col">p50 ms</th>
            <th scope="col">p95 ms</th>
          </tr>
        </thead>
        <tbody>
          {m.latency.map((l) => (
            <tr>
              <th scope="row">{l.kind}</th>
              <td>{l.turns}</td>
              <td>{l.p50Ms}</td>
              <td>{l.p95Ms}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <DayChart
        id="c-conv"
        title="Conversations"
        unit="conversations"
        points={m.days.map((d) => ({ day: d.day, value: d.conversations }))}
      />
      <DayChart
        id="c-turns"
        title="Turns"
        unit="turns"
        points={m.days.map((d) => ({ day: d.day, value: d.turns }))}
      />
      <DayChart
        id="c-cost"
        title="Model cost"
        unit="USD"
        format={(n) => usd(n)}
        points={m.days.map((d) => ({ day: d.day, value: d.costUsd }))}
      />
      <section class="table-wrap" tabindex={0} aria-labelledby="days-caption">
        <table>
          <caption id="days-caption">Per day: the charts' data</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Conversations</th>
              <th scope="col">Resolved</th>
              <th scope="col">Handoffs</th>
              <th scope="col">Turns</th>
              <th scope="col">Degraded</th>
              <th scope="col">Failed</th>
              <th scope="col">Tokens</th>
              <th scope="col">Cost</th>
              <th scope="col">Thumbs up / down</th>
            </tr>
          </thead>
          <tbody>
            {m.days.map((d) => (
              <tr>
                <th scope="row">{d.day}</th>
                <td>{d.conversations}</td>
                <td>{d.resolved}</td>
                <td>{d.handoffs}</td>
                <td>{d.turns}</td>
                <td>{d.degraded}</td>
                <td>{d.failed}</td>
                <td>{d.promptTokens + d.completionTokens}</td>
                <td>{usd(d.costUsd)}</td>
                <td>
                  {d.thumbsUp} / {d.thumbsDown}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Layout>
  );
}
