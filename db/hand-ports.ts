/**
 * The Hands' ports over Postgres: knowledge-base search, the order source, tickets and handoffs. Each query
 * answers exactly what the Hand needs; nothing else of a row leaves this module.
 */
import { and, eq, sql } from "drizzle-orm";
import type { HandoffDesk, HandPorts, KbSearch, OrderSource, TicketStore } from "../core/hands/ports.ts";
import { parseWooCommerceConfig, wooCommerceOrderSource } from "../core/hands/woocommerce-orders.ts";
import type { Database } from "./client.ts";
import { handoffs, orders, threads, tickets } from "./schema.ts";

const SNIPPET_CHARS = 1500;

/**
 * The ports every Hand gets, the same for the thread (inline tools) and the queue consumer (side effects).
 * Orders come from WooCommerce's REST API when ORDER_SOURCE=woocommerce, otherwise from the orders table.
 */
export function handPortsFor(
  db: Database,
  env: object,
  notify: (h: { threadId: string; reason: string }) => Promise<void>,
): HandPorts {
  const woo = parseWooCommerceConfig(Object.fromEntries(Object.entries(env)));
  return {
    kb: postgresKbSearch(db),
    orders: woo ? wooCommerceOrderSource(woo, fetch.bind(globalThis)) : postgresOrderSource(db),
    tickets: postgresTicketStore(db),
    handoffs: postgresHandoffDesk(db, notify),
  };
}

/** Full-text search: title, section and body weighted A/B/C, any query word may match, best ranked first. */
export function postgresKbSearch(db: Database): KbSearch {
  return {
    async search(query, { topK, channel }) {
      const rows = await db.execute<{
        id: string;
        doc_id: string;
        title: string;
        section_path: string;
        url: string;
        body: string;
        score: number;
      }>(sql`
        with q as (select replace(plainto_tsquery('english', ${query})::text, '&', '|')::tsquery as q)
        select c.id, c.doc_id, c.title, c.section_path, c.url, c.body, ts_rank_cd(c.tsv, q.q) as score
        from kb_chunks c, q
        where c.tsv @@ q.q and c.reviewed and ${channel} = any(c.allowed_channels)
        order by score desc, c.id
        limit ${topK}`);
      return rows.map((r) => ({
        chunkId: r.id,
        docId: r.doc_id,
        title: r.title,
        section: r.section_path,
        url: r.url,
        snippet: r.body.length > SNIPPET_CHARS ? `${r.body.slice(0, SNIPPET_CHARS)}…` : r.body,
        score: Number(r.score),
      }));
    },
  };
}

export function postgresOrderSource(db: Database): OrderSource {
  return {
    async findOwnedOrder(orderNumber, email) {
      const [row] = await db
        .select()
        .from(orders)
        .where(and(eq(orders.orderNumber, orderNumber), eq(sql`lower(${orders.email})`, email.toLowerCase())))
        .limit(1);
      if (!row) return null;
      const items = Array.isArray(row.items) ? row.items : [];
      return {
        orderNumber: row.orderNumber,
        status: row.status,
        placedAt: row.placedAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
        currency: row.currency,
        totalCents: row.totalCents,
        items: items.map((i: { name?: unknown; quantity?: unknown }) => ({
          name: String(i.name ?? ""),
          quantity: Number(i.quantity ?? 1),
        })),
        shippingCountry: row.shippingCountry,
        carrier: row.carrier,
        trackingNumber: row.trackingNumber,
        trackingUrl: row.trackingUrl,
        estimatedDelivery: row.estimatedDelivery,
      };
    },
  };
}

export function postgresTicketStore(db: Database): TicketStore {
  return {
    async open(ticket) {
      const inserted = await db
        .insert(tickets)
        .values(ticket)
        .onConflictDoNothing({ target: tickets.callId })
        .returning({ reference: tickets.reference });
      if (inserted[0]) return { reference: inserted[0].reference, created: true };
      const [existing] = await db
        .select({ reference: tickets.reference })
        .from(tickets)
        .where(eq(tickets.callId, ticket.callId));
      return { reference: existing?.reference ?? ticket.reference, created: false };
    },
  };
}

export function postgresHandoffDesk(
  db: Database,
  notify: (h: { threadId: string; reason: string }) => Promise<void>,
): HandoffDesk {
  return {
    async request(handoff) {
      const inserted = await db
        .insert(handoffs)
        .values({
          callId: handoff.callId,
          threadId: handoff.threadId,
          reason: handoff.reason,
          excerpt: handoff.excerpt,
        })
        .onConflictDoNothing({ target: handoffs.callId })
        .returning({ id: handoffs.id });
      await db
        .update(threads)
        .set({ status: "handoff", updatedAt: new Date() })
        .where(eq(threads.id, handoff.threadId));
      // Staff are notified once per handoff, even when the queue delivers the step again.
      if (inserted.length > 0) await notify({ threadId: handoff.threadId, reason: handoff.reason });
      return { created: inserted.length > 0 };
    },
  };
}
