/**
 * The Hands' ports over Postgres: knowledge-base search, the order source, tickets and handoffs. Each query
 * answers exactly what the Hand needs; nothing else of a row leaves this module.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { AppConfig, OrdersConfig } from "../core/config.ts";
import { AppError } from "../core/errors.ts";
import type {
  HandoffDesk,
  HandPorts,
  KbSearch,
  LookupQuota,
  OrderSource,
  OrderView,
  TicketStore,
} from "../core/hands/ports.ts";
import { wooCommerceOrderSource } from "../core/hands/woocommerce-orders.ts";
import { embedderFromConfig } from "../core/retrieval/embedder-config.ts";
import { termOverlapReranker } from "../core/retrieval/reranker.ts";
import type { AiBinding } from "../core/retrieval/workers-ai-embedder.ts";
import type { Database } from "./client.ts";
import { guarded } from "./db-error.ts";
import { type DetailedKbSearch, hybridKbSearch } from "./kb-search.ts";
import { handoffs, orders, threads, tickets } from "./schema.ts";

/**
 * The ports every Hand gets, the same for the thread (inline tools) and the queue consumer (side effects), built
 * from the parsed config. Orders come from WooCommerce's REST API when ORDER_SOURCE=woocommerce, otherwise from
 * the orders table.
 */
export function handPortsFor(
  db: Database,
  config: Pick<AppConfig, "orders" | "embeddings">,
  bindings: { ai?: AiBinding | undefined; lookups?: LookupQuota },
  notify: (h: { threadId: string; reason: string }) => Promise<void>,
): HandPorts {
  return {
    kb: guardedSearch(agentKbSearch(db, config, bindings.ai)),
    orders: orderSource(db, config.orders),
    lookups: bindings.lookups ?? noLookups,
    tickets: postgresTicketStore(db),
    handoffs: postgresHandoffDesk(db, notify),
  };
}

/**
 * The knowledge-base search search_kb runs on, with the live embedder and reranker. The admin retrieval tester
 * and the nightly retrieval eval call this very function, so what they show is what the agent gets.
 */
export function agentKbSearch(
  db: Database,
  config: Pick<AppConfig, "embeddings">,
  ai: AiBinding | undefined,
): DetailedKbSearch {
  return hybridKbSearch(db, {
    embedder: embedderFromConfig(config.embeddings, ai),
    reranker: termOverlapReranker(),
  });
}

/** get_order runs inline in a thread, which passes the quota; anywhere else no lookup is allowed at all. */
const noLookups: LookupQuota = { exhausted: async () => true, failed: async () => {} };

function guardedSearch(kb: KbSearch): KbSearch {
  return { search: (query, options) => guarded("kb.search", () => kb.search(query, options)) };
}

function orderSource(db: Database, orders: OrdersConfig): OrderSource {
  if (orders.source === "postgres") return postgresOrderSource(db);
  if (orders.source === "woocommerce")
    return wooCommerceOrderSource(orders.woocommerce, fetch.bind(globalThis));
  // Misconfigured (named by /readyz): lookups fail like an unreachable shop, so the turn degrades to a ticket.
  return {
    async findOwnedOrder() {
      throw new AppError("unavailable:order_source", "The order source is not configured.");
    },
  };
}

export function postgresOrderSource(db: Database): OrderSource {
  return {
    async recentOwnedOrders(email, limit) {
      const rows = await guarded("orders.recent", () =>
        db
          .select()
          .from(orders)
          .where(eq(sql`lower(${orders.email})`, email.toLowerCase()))
          .orderBy(desc(orders.placedAt))
          .limit(limit),
      );
      return rows.map(orderView);
    },
    async findOwnedOrder(orderNumber, email) {
      const [row] = await guarded("orders.find", () =>
        db
          .select()
          .from(orders)
          .where(
            and(
              // Digits alone ("order 100231") name the order whose number ends in them, e.g. FH-100231; the
              // email must match as always, so this finds nobody else's order.
              /^\d{5,}$/.test(orderNumber)
                ? sql`${orders.orderNumber} like ${`%-${orderNumber}`}`
                : eq(orders.orderNumber, orderNumber),
              eq(sql`lower(${orders.email})`, email.toLowerCase()),
            ),
          )
          .limit(1),
      );
      return row ? orderView(row) : null;
    },
  };
}

function orderView(row: typeof orders.$inferSelect): OrderView {
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
}

export function postgresTicketStore(db: Database): TicketStore {
  return {
    open: (ticket) => guarded("tickets.open", () => openTicket(db, ticket)),
  };
}

async function openTicket(db: Database, ticket: Parameters<TicketStore["open"]>[0]) {
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
}

export function postgresHandoffDesk(
  db: Database,
  notify: (h: { threadId: string; reason: string }) => Promise<void>,
): HandoffDesk {
  return {
    async request(handoff) {
      const created = await guarded("handoffs.request", () => saveHandoff(db, handoff));
      // Staff are notified once per handoff, even when the queue delivers the step again.
      if (created) await notify({ threadId: handoff.threadId, reason: handoff.reason });
      return { created };
    },
  };
}

async function saveHandoff(db: Database, handoff: Parameters<HandoffDesk["request"]>[0]): Promise<boolean> {
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
  // The wait starts at the first request for a person; a redelivered step keeps the original time.
  await db
    .update(threads)
    .set({
      status: "handoff",
      waitingSince: sql`coalesce(${threads.waitingSince}, now())`,
      updatedAt: new Date(),
    })
    .where(eq(threads.id, handoff.threadId));
  return inserted.length > 0;
}
