/** @jsxImportSource hono/jsx */
/**
 * Admin only: today's model spend against the daily budgets, rendered from the object GET /api/admin/budgets
 * answers. The site's meter (what turns check) with each cap as a share in words and a native <meter>, then a
 * table per channel. Nothing is said by colour alone: every share is written out.
 */
import type { StaffMember } from "../../../core/contracts/console.ts";
import type { BudgetsReport } from "../../../core/contracts/ops.ts";
import { count, percent, usd } from "../format.ts";
import { Layout } from "../layout.tsx";

function Share(props: { label: string; used: string; cap: string; share: number | null }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd>
        {props.used} of {props.cap} ({percent(props.share, "no cap")})
        {props.share === null ? null : (
          <meter
            min={0}
            max={1}
            high={0.8}
            value={Math.min(props.share, 1)}
            aria-label={`${props.label} used`}
          >
            {percent(props.share, "no cap")}
          </meter>
        )}
      </dd>
    </div>
  );
}

export function BudgetsPage(props: {
  shop: string;
  staff: StaffMember;
  csrf: string | null;
  report: BudgetsReport;
}) {
  const r = props.report;
  return (
    <Layout
      title="Budgets"
      shop={props.shop}
      staff={props.staff}
      csrf={props.csrf}
      current="/console/budgets"
    >
      <h1>Budgets</h1>
      <p>
        Today is {r.day} (UTC); the budgets start again at {r.resetsAt}.{" "}
        {r.site.exceeded
          ? "The site's budget is spent: turns are answered by the offline brain, which says so."
          : "The site is within its budget."}
      </p>
      <dl class="figures">
        <Share
          label="Site tokens"
          used={count(r.site.tokens)}
          cap={r.caps.siteDailyTokens > 0 ? count(r.caps.siteDailyTokens) : "no cap"}
          share={r.site.tokenShare}
        />
        <Share
          label="Site cost"
          used={usd(r.site.cost)}
          cap={r.caps.siteDailyCost > 0 ? usd(r.caps.siteDailyCost) : "no cap"}
          share={r.site.costShare}
        />
        <div>
          <dt>Per conversation</dt>
          <dd>
            {r.caps.threadDailyTokens > 0 ? `${count(r.caps.threadDailyTokens)} tokens a day` : "no cap"};{" "}
            {r.threadsAtCap} conversation(s) reached it today
          </dd>
        </div>
      </dl>
      <section class="table-wrap" tabindex={0} aria-labelledby="spend-caption">
        <table>
          <caption id="spend-caption">Today's spend by channel (from the turns' records)</caption>
          <thead>
            <tr>
              <th scope="col">Channel</th>
              <th scope="col">Channel on</th>
              <th scope="col">Turns</th>
              <th scope="col">Tokens</th>
              <th scope="col">Share of token cap</th>
              <th scope="col">Cost</th>
              <th scope="col">Share of cost cap</th>
              <th scope="col">Turns over budget</th>
            </tr>
          </thead>
          <tbody>
            {r.channels.map((c) => (
              <tr>
                <th scope="row">{c.channel}</th>
                <td>{c.enabled ? "yes" : "no"}</td>
                <td>{count(c.turns)}</td>
                <td>{count(c.tokens)}</td>
                <td>{percent(c.tokenShare, "no cap")}</td>
                <td>{usd(c.cost)}</td>
                <td>{percent(c.costShare, "no cap")}</td>
                <td>{c.overBudgetTurns}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">evals</th>
              <td>not a channel</td>
              <td>{count(r.evals.modelCalls)} model calls</td>
              <td>{count(r.evals.tokens)}</td>
              <td>{percent(r.evals.tokenShare, "no cap")}</td>
              <td>{usd(r.evals.cost)}</td>
              <td>{percent(r.evals.costShare, "no cap")}</td>
              <td>0</td>
            </tr>
          </tbody>
        </table>
      </section>
      <p class="definition">
        The site's figures come from its spend meter, which every model turn checks before calling the model;
        the channels' come from the turns' records and can trail the meter by the turns still being written.
        The evals' model calls (nightly and run by an admin) count in the same meter.
      </p>
    </Layout>
  );
}
