/** @jsxImportSource hono/jsx */
/**
 * One conversation: the handoff summary on top, the actions the reader may take (take over, release, close
 * with a reason), the whole transcript (visitor, bot with the tools it used, staff, internal notes) and the
 * reply form with the internal-note switch. Plain forms work without JavaScript; the live script sends them
 * with fetch, appends messages as they happen and shows who is typing.
 */
import type {
  HandoffSummary,
  StaffMember,
  Transcript,
  TranscriptMessage,
} from "../../../core/contracts/console.ts";
import { Layout, waited } from "../layout.tsx";

const ROLE_LABEL: Record<TranscriptMessage["role"], string> = {
  user: "Visitor",
  assistant: "Bot",
  staff: "Staff",
  note: "Internal note",
  event: "Event",
};

export function ConversationPage(props: {
  shop: string;
  staff: StaffMember;
  csrf: string | null;
  transcript: Transcript;
  now: number;
  notice?: string;
}) {
  const t = props.transcript;
  const mine = t.owner?.id === props.staff.id;
  const action = (name: string) => `/console/conversations/${t.thread_id}/${name}`;
  const csrf = <input type="hidden" name="csrf" value={props.csrf ?? ""} />;
  return (
    <Layout title="Conversation" shop={props.shop} staff={props.staff} csrf={props.csrf} script>
      <div id="conversation" data-thread={t.thread_id} data-me={props.staff.id}>
        <h1>Conversation</h1>
        <p class="meta" id="state">
          <span>
            Status:{" "}
            {t.status === "handoff"
              ? t.owner
                ? `with ${mine ? "you" : t.owner.name}`
                : "waiting for a person"
              : t.status}
          </span>
          {t.waiting_since && !t.owner ? <span> · waiting {waited(t.waiting_since, props.now)}</span> : null}
          <span> · channel {t.channel}</span>
          {t.closed_reason ? <span> · closed: {t.closed_reason}</span> : null}
          {t.visitor_email ? <span> · signed in as {t.visitor_email}</span> : null}
        </p>
        {props.notice ? (
          <p class="notice" role="status">
            {props.notice}
          </p>
        ) : null}
        <p class="notice" role="status" id="live-status" />
        <Summary summary={t.summary} label="Handoff summary" />
        {t.model_summary ? (
          <Summary summary={t.model_summary} label={`Model summary (${t.model_summary.model ?? "model"})`} />
        ) : null}
        <section class="actions" aria-label="Actions">
          {t.status !== "closed" && !mine ? (
            <form method="post" action={action("takeover")}>
              {csrf}
              <button type="submit">Take over</button>
            </form>
          ) : null}
          {mine ? (
            <form method="post" action={action("release")}>
              {csrf}
              <button type="submit">Release to the bot</button>
            </form>
          ) : null}
          {t.status !== "closed" ? (
            <form method="post" action={action("close")} class="close">
              {csrf}
              <label for="close-reason">Close as</label>
              <select id="close-reason" name="reason">
                <option value="resolved">Resolved</option>
                <option value="no_reply">No reply</option>
                <option value="spam">Spam</option>
              </select>
              <button type="submit">Close</button>
            </form>
          ) : null}
        </section>
        <section aria-labelledby="transcript-title">
          <h2 id="transcript-title">Transcript</h2>
          <ol id="transcript" class="transcript">
            {t.messages.map((m) => (
              <Message message={m} />
            ))}
          </ol>
          <p id="typing" class="typing" aria-live="polite" />
        </section>
        <form method="post" action={action("messages")} class="reply" id="reply">
          {csrf}
          <label for="reply-text">
            {mine ? "Reply to the visitor" : "Write a note (take over to reply)"}
          </label>
          <textarea id="reply-text" name="content" rows={4} maxlength={4000} required />
          <p>
            <input type="checkbox" id="reply-internal" name="internal" value="true" checked={!mine} />
            <label for="reply-internal">Internal note (the visitor never sees it)</label>
          </p>
          <button type="submit">Send</button>
        </form>
      </div>
    </Layout>
  );
}

function Summary(props: { summary: HandoffSummary; label: string }) {
  const s = props.summary;
  return (
    <section class="card summary" aria-label={props.label}>
      <h2>{props.label}</h2>
      {s.text ? <p>{s.text}</p> : null}
      <dl>
        <dt>Why</dt>
        <dd>{s.why ?? "Not handed off"}</dd>
        <dt>What the visitor wants</dt>
        <dd>{s.wants ?? "Not said yet"}</dd>
        <dt>Order numbers given</dt>
        <dd>{s.order_numbers.length > 0 ? s.order_numbers.join(", ") : "None"}</dd>
        <dt>Emails given</dt>
        <dd>{s.emails.length > 0 ? s.emails.join(", ") : "None"}</dd>
        <dt>Already answered</dt>
        <dd>{s.answered.length > 0 ? s.answered.join("; ") : "Nothing yet"}</dd>
      </dl>
    </section>
  );
}

export function Message(props: { message: TranscriptMessage }) {
  const m = props.message;
  const who =
    m.role === "staff" || m.role === "note"
      ? `${ROLE_LABEL[m.role]}: ${m.author ?? "staff"}`
      : ROLE_LABEL[m.role];
  return (
    <li class={`msg ${m.role}`} data-id={m.id} data-seq={String(m.seq)}>
      <p class="who">
        {who} <time datetime={m.created_at}>{m.created_at.slice(11, 16)}</time>
      </p>
      <p class="text">{m.content}</p>
      {m.citations.length > 0 ? (
        <p class="cites">Sources: {m.citations.map((c) => c.title).join("; ")}</p>
      ) : null}
      {m.tools.length > 0 ? (
        <p class="tools">
          Tools:{" "}
          {m.tools
            .map(
              (tool) =>
                `${tool.tool} (${tool.status}${tool.latency_ms === null ? "" : `, ${tool.latency_ms} ms`}): ${tool.detail}`,
            )
            .join("; ")}
        </p>
      ) : null}
    </li>
  );
}
