/**
 * The console's reads over the Postgres record: the inbox (waiting conversations first, with how long they
 * have waited, then the reader's own, then recent ones) and a conversation's whole transcript with the tools
 * the bot used and its handoff summary. The Thread Durable Object stays the writer; these are reads, plus the
 * small mirror updates the thread makes when ownership changes.
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Inbox, InboxQuery, ToolUse, Transcript, TranscriptMessage } from "../core/contracts/console.ts";
import { handoffSummarySchema } from "../core/contracts/console.ts";
import { channelSchema, citationSchema, threadStatusSchema } from "../core/contracts/thread.ts";
import { extractiveSummary } from "../core/handoff/summary.ts";
import type { Database } from "./client.ts";
import { handoffs, messages, threads, toolCalls } from "./schema.ts";

/** JSON columns as plain objects: anything else reads as empty. */
const jsonObject = z.record(z.string(), z.unknown()).catch({});
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export async function inbox(db: Database, query: InboxQuery, staffId: string): Promise<Inbox> {
  const t = threads;
  const where = [
    query.channel ? eq(t.channel, query.channel) : undefined,
    query.status === "handoff" ? eq(t.status, "handoff") : undefined,
    query.status === "open" ? eq(t.status, "open") : undefined,
    query.status === "closed" ? eq(t.status, "closed") : undefined,
    query.status === "mine" ? and(eq(t.ownerId, staffId), sql`${t.status} <> 'closed'`) : undefined,
  ].filter((w) => w !== undefined);
  const rows = await db
    .select({
      id: t.id,
      status: t.status,
      channel: t.channel,
      waitingSince: t.waitingSince,
      ownerId: t.ownerId,
      ownerName: t.ownerName,
      updatedAt: t.updatedAt,
      reason: sql<
        string | null
      >`(select h.reason from handoffs h where h.thread_id = threads.id order by h.created_at desc limit 1)`,
      lastVisitor: sql<
        string | null
      >`(select left(m.content, 300) from messages m where m.thread_id = threads.id and m.role = 'user' order by m.seq desc limit 1)`,
    })
    .from(t)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(
      // Waiting for a person and not yet taken: first, longest wait first.
      sql`case when ${t.status} = 'handoff' and ${t.ownerId} is null then 0 when ${t.ownerId} = ${staffId} and ${t.status} <> 'closed' then 1 else 2 end`,
      asc(sql`case when ${t.status} = 'handoff' and ${t.ownerId} is null then ${t.waitingSince} end`),
      desc(t.updatedAt),
    )
    .limit(query.limit);
  return {
    conversations: rows.map((r) => {
      const summary = r.reason ?? r.lastVisitor ?? undefined;
      return {
        thread_id: r.id,
        status: threadStatusSchema.catch("open").parse(r.status),
        channel: channelSchema.catch("web").parse(r.channel),
        waiting_since: r.status === "handoff" ? iso(r.waitingSince) : null,
        ...(r.ownerId && r.ownerName ? { owner: { id: r.ownerId, name: r.ownerName } } : {}),
        ...(summary ? { summary: summary.replace(/\s+/g, " ").trim() } : {}),
        updated_at: iso(r.updatedAt) ?? "",
      };
    }),
  };
}

export async function transcript(db: Database, threadId: string): Promise<Transcript | null> {
  const [thread] = await db.select().from(threads).where(eq(threads.id, threadId)).limit(1);
  if (!thread) return null;
  const [rows, calls, [handoff]] = await Promise.all([
    db.select().from(messages).where(eq(messages.threadId, threadId)).orderBy(asc(messages.seq)),
    db.select().from(toolCalls).where(eq(toolCalls.threadId, threadId)).orderBy(asc(toolCalls.createdAt)),
    db
      .select()
      .from(handoffs)
      .where(eq(handoffs.threadId, threadId))
      .orderBy(desc(handoffs.createdAt))
      .limit(1),
  ]);
  const toolsByTurn = new Map<string, ToolUse[]>();
  for (const call of calls) {
    const list = toolsByTurn.get(call.turnId) ?? [];
    list.push({
      tool: call.tool,
      status: call.status,
      latency_ms: call.latencyMs,
      detail: toolDetail(call.tool, call.status, call.result, call.errorCode),
    });
    toolsByTurn.set(call.turnId, list);
  }
  const list: TranscriptMessage[] = rows.map((m) => {
    const meta = jsonObject.parse(m.meta);
    const turnId = typeof meta.turnId === "string" ? meta.turnId : null;
    const author = typeof meta.staffName === "string" ? meta.staffName : undefined;
    const citations = citationSchema
      .array()
      .catch([])
      .parse(m.citations ?? []);
    return {
      id: m.id,
      seq: m.seq,
      role:
        m.role === "user" || m.role === "staff" || m.role === "note" || m.role === "event"
          ? m.role
          : "assistant",
      content: m.content,
      ...(author ? { author } : {}),
      citations,
      tools: m.role === "assistant" && turnId ? (toolsByTurn.get(turnId) ?? []) : [],
      created_at: iso(m.createdAt) ?? "",
    };
  });
  const summary = extractiveSummary({
    reason: handoff?.reason ?? null,
    messages: list.map((m) => ({ role: m.role, content: m.content, citations: m.citations })),
    toolCalls: calls.map((c) => ({ tool: c.tool, status: c.status, result: c.result })),
  });
  const model = handoffSummarySchema.safeParse(handoff?.modelSummary);
  return {
    thread_id: thread.id,
    status: threadStatusSchema.catch("open").parse(thread.status),
    channel: channelSchema.catch("web").parse(thread.channel),
    waiting_since: thread.status === "handoff" ? iso(thread.waitingSince) : null,
    owner: thread.ownerId && thread.ownerName ? { id: thread.ownerId, name: thread.ownerName } : null,
    closed_reason: thread.closedReason,
    visitor_email: thread.identityEmail,
    summary,
    model_summary: model.success ? model.data : null,
    messages: list,
  };
}

/** One line about a tool call for staff: what came back, never the raw payload. */
function toolDetail(tool: string, status: string, result: unknown, errorCode: string | null): string {
  if (errorCode) return errorCode;
  const r = jsonObject.parse(result);
  if (tool === "search_kb" && Array.isArray(r.results)) return `${r.results.length} passage(s)`;
  if (tool === "get_order") {
    const order =
      typeof r.order === "object" && r.order !== null ? (r.order as Record<string, unknown>) : null;
    if (order) return `${String(order.order_number ?? "")} ${String(order.status ?? "")}`.trim();
    return r.found === false ? "no matching order" : status;
  }
  if (typeof r.reference === "string") return r.reference;
  return status;
}
