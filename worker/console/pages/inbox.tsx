/** @jsxImportSource hono/jsx */
/**
 * The inbox: conversations waiting for a person first (with how long they have waited), then the reader's own,
 * then recent ones; filters by status and channel (a GET form, so a filtered view can be bookmarked). The live
 * script swaps in fresh rows when the inbox changes.
 */
import type { Inbox, InboxQuery, StaffMember } from "../../../core/contracts/console.ts";
import { Layout, waited } from "../layout.tsx";

const STATUS_LABELS = {
  handoff: "Waiting for a person",
  mine: "Mine",
  open: "Bot answering",
  closed: "Closed",
};

export function InboxPage(props: {
  shop: string;
  staff: StaffMember;
  csrf: string | null;
  query: InboxQuery;
  inbox: Inbox;
  now: number;
}) {
  const { query } = props;
  return (
    <Layout title="Inbox" shop={props.shop} staff={props.staff} csrf={props.csrf} current="/console" script>
      <h1>Inbox</h1>
      <form method="get" action="/console" class="filters" aria-label="Filter conversations">
        <label for="f-status">Status</label>
        <select id="f-status" name="status">
          <option value="">All</option>
          {Object.entries(STATUS_LABELS).map(([value, label]) => (
            <option value={value} selected={query.status === value}>
              {label}
            </option>
          ))}
        </select>
        <label for="f-channel">Channel</label>
        <select id="f-channel" name="channel">
          <option value="">All</option>
          {["web", "slack", "email"].map((c) => (
            <option value={c} selected={query.channel === c}>
              {c}
            </option>
          ))}
        </select>
        <button type="submit">Filter</button>
      </form>
      <InboxTable inbox={props.inbox} now={props.now} staffId={props.staff.id} />
    </Layout>
  );
}

export function InboxTable(props: { inbox: Inbox; now: number; staffId: string }) {
  const rows = props.inbox.conversations;
  return (
    <div id="inbox" data-live="inbox">
      {rows.length === 0 ? (
        <p class="empty">No conversations here.</p>
      ) : (
        <table>
          <caption class="sr">Conversations, waiting ones first</caption>
          <thead>
            <tr>
              <th scope="col">Conversation</th>
              <th scope="col">Status</th>
              <th scope="col">Channel</th>
              <th scope="col">Waiting</th>
              <th scope="col">Owner</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr class={r.status === "handoff" && !r.owner ? "waiting" : undefined}>
                <td>
                  <a href={`/console/conversations/${r.thread_id}`}>{r.summary ?? "(no message yet)"}</a>
                </td>
                <td>{r.status === "handoff" ? (r.owner ? "With a person" : "Waiting") : r.status}</td>
                <td>{r.channel}</td>
                <td>{waited(r.waiting_since, props.now)}</td>
                <td>{r.owner ? (r.owner.id === props.staffId ? "You" : r.owner.name) : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
