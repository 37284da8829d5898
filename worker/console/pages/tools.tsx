/** @jsxImportSource hono/jsx */
/**
 * Admin only: tool health and the rollout switches, rendered from the object GET /api/admin/tools answers.
 * Per tool: its switch (a plain form: one button that turns it on or off, CSRF-checked), its breaker's live
 * state in words, and calls, error rate and p95 per channel in a table. Then the channels' switches and the
 * latest changes. State is always written out ("on", "open since …"), never shown by colour alone.
 */
import type { StaffMember } from "../../../core/contracts/console.ts";
import type { MetricsWindow } from "../../../core/contracts/metrics.ts";
import type { BreakerStatus, CallStats, SwitchState, ToolsReport } from "../../../core/contracts/ops.ts";
import { ms, percent, utcTime } from "../format.ts";
import { Layout } from "../layout.tsx";

const WINDOWS: MetricsWindow[] = ["24h", "7d", "30d"];
/** Breakers and switches change by the second, so their times keep seconds. */
const when = (iso: string | null) => utcTime(iso, "", "second");

function breakerText(b: BreakerStatus | null): string {
  if (!b) return "No breaker (queued: the queue retries it)";
  if (b.status === "open") return `Open since ${when(b.since)}: calls refused; probe at ${when(b.probeAt)}`;
  if (b.status === "half_open") return `Half-open since ${when(b.since)}: the next call is a probe`;
  const tripped = b.since ? `, last change ${when(b.since)}` : ", never tripped";
  return `Closed (${b.recentFailures} recent failures${tripped})`;
}

function switchText(s: SwitchState): string {
  const state = s.enabled ? "On" : "Off";
  if (!s.set) return `${state} (environment default)`;
  return `${state}: set by ${s.set.by} at ${when(s.set.at)}; default ${s.byDefault ? "on" : "off"}`;
}

function SwitchForm(props: {
  kind: "tool" | "channel";
  name: string;
  state: SwitchState;
  csrf: string | null;
  window: string;
}) {
  const next = !props.state.enabled;
  return (
    <form method="post" action="/console/tools/switches" class="switch">
      <input type="hidden" name="csrf" value={props.csrf ?? ""} />
      <input type="hidden" name="kind" value={props.kind} />
      <input type="hidden" name="name" value={props.name} />
      <input type="hidden" name="enabled" value={String(next)} />
      <input type="hidden" name="window" value={props.window} />
      <button type="submit">{`${next ? "Turn on" : "Turn off"} ${props.name}`}</button>
    </form>
  );
}

function StatsCells(props: { s: CallStats }) {
  const s = props.s;
  return (
    <>
      <td>{s.calls}</td>
      <td>{s.succeeded}</td>
      <td>{s.failed}</td>
      <td>{s.refused}</td>
      <td>{s.pending}</td>
      <td>{percent(s.errorRate)}</td>
      <td>{ms(s.p95Ms)}</td>
    </>
  );
}

const STATS_HEAD = ["Calls", "Succeeded", "Failed", "Refused", "Queued", "Error rate", "p95"];

export function ToolsPage(props: {
  shop: string;
  staff: StaffMember;
  csrf: string | null;
  report: ToolsReport;
  notice?: string;
}) {
  const r = props.report;
  return (
    <Layout title="Tools" shop={props.shop} staff={props.staff} csrf={props.csrf} current="/console/tools">
      <h1>Tools</h1>
      <nav aria-label="Window">
        <ul class="windows">
          {WINDOWS.map((w) => (
            <li>
              <a href={`/console/tools?window=${w}`} aria-current={w === r.window ? "page" : undefined}>
                {w}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <p class="notice" role="status">
        {props.notice ?? ""}
      </p>
      <p>
        From {r.since} to {r.until} (UTC). Switches apply everywhere within 5 seconds.
      </p>
      <p class="definition">
        <strong>Error rate:</strong> {r.errorRateDefinition}
      </p>
      {r.tools.map((t) => (
        <section aria-labelledby={`tool-${t.tool}`}>
          <h2 id={`tool-${t.tool}`}>{t.tool}</h2>
          <dl class="figures">
            <div>
              <dt>Switch</dt>
              <dd>{switchText(t.switch)}</dd>
            </div>
            <div>
              <dt>Breaker</dt>
              <dd>{breakerText(t.breaker)}</dd>
            </div>
            <div>
              <dt>Runs</dt>
              <dd>{t.dispatch === "inline" ? "inline, in the turn" : "through the queue"}</dd>
            </div>
          </dl>
          <SwitchForm kind="tool" name={t.tool} state={t.switch} csrf={props.csrf} window={r.window} />
          <section class="table-wrap" tabindex={0} aria-labelledby={`calls-${t.tool}`}>
            <table>
              <caption id={`calls-${t.tool}`}>Calls of {t.tool} by channel</caption>
              <thead>
                <tr>
                  <th scope="col">Channel</th>
                  {STATS_HEAD.map((h) => (
                    <th scope="col">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {t.channels.map((c) => (
                  <tr>
                    <th scope="row">{c.channel}</th>
                    <StatsCells s={c} />
                  </tr>
                ))}
                <tr>
                  <th scope="row">All channels</th>
                  <StatsCells s={t.total} />
                </tr>
              </tbody>
            </table>
          </section>
        </section>
      ))}
      <section aria-labelledby="channels">
        <h2 id="channels">Channels</h2>
        <table>
          <caption class="sr">Channel switches and their tool calls</caption>
          <thead>
            <tr>
              <th scope="col">Channel</th>
              <th scope="col">Switch</th>
              {STATS_HEAD.map((h) => (
                <th scope="col">{h}</th>
              ))}
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {r.channels.map((c) => (
              <tr>
                <th scope="row">{c.channel}</th>
                <td>{switchText(c.switch)}</td>
                <StatsCells s={c.total} />
                <td>
                  <SwitchForm
                    kind="channel"
                    name={c.channel}
                    state={c.switch}
                    csrf={props.csrf}
                    window={r.window}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="changes">
        <h2 id="changes">Latest switch changes</h2>
        {r.changes.length === 0 ? (
          <p>No switch has been changed; the environment's defaults apply.</p>
        ) : (
          <table>
            <caption class="sr">Switch changes, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Switch</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {r.changes.map((ch) => (
                <tr>
                  <td>{when(ch.at)}</td>
                  <td>
                    {ch.kind} {ch.name}
                  </td>
                  <td>{ch.from ? "on" : "off"}</td>
                  <td>{ch.to ? "on" : "off"}</td>
                  <td>{ch.by}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}
