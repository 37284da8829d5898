/**
 * What the Hands may do to the outside world, as narrow interfaces. db/ports.ts implements them over Postgres;
 * a WooCommerce adapter can implement OrderSource. Hands never see a connection, a key or a raw row.
 */
import type { Language } from "../contracts/language.ts";
import type { Channel } from "../contracts/thread.ts";

export interface KbHit {
  chunkId: string;
  /** The article's id, shared by all its translations (a translation's own URL is in `url`). */
  docId: string;
  /** The language the passage is written in. */
  language: Language;
  title: string;
  section: string;
  url: string;
  snippet: string;
  score: number;
}

export interface KbSearch {
  /** `language`: the visitor's; per article its version in that language comes first (default en). */
  search(
    query: string,
    options: { topK: number; channel: Channel; language?: Language; signal: AbortSignal },
  ): Promise<KbHit[]>;
}

export interface OrderView {
  orderNumber: string;
  status: string;
  placedAt: string;
  updatedAt: string;
  currency: string;
  totalCents: number;
  items: { name: string; quantity: number }[];
  shippingCountry: string;
  carrier: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  estimatedDelivery: string | null;
}

export interface OrderSource {
  /** Returns the order only when both the number and the owner's email match; one lookup either way. */
  findOwnedOrder(orderNumber: string, email: string, signal: AbortSignal): Promise<OrderView | null>;
  /**
   * The most recent orders placed with this email, newest first; only ever called with a verified sign-in's
   * email. A source that cannot list orders leaves it out, and the visitor is asked for the number instead.
   */
  recentOwnedOrders?(email: string, limit: number, signal: AbortSignal): Promise<OrderView[]>;
}

/**
 * Failed get_order ownership checks, counted per key (an email's hash, a sign-in, a thread) over a sliding hour.
 * Only failures count, and an exhausted key gets the same answer as a wrong number, so the quota itself tells
 * nobody whether an email or an order exists.
 */
export interface LookupQuota {
  /** Whether any of these keys has no failed lookups left. */
  exhausted(keys: string[]): Promise<boolean>;
  /** Counts one failed ownership check against every key. */
  failed(keys: string[]): Promise<void>;
}

export interface TicketStore {
  /** Idempotent by callId: a second call with the same id returns the first ticket. */
  open(ticket: {
    callId: string;
    reference: string;
    threadId: string;
    email: string | null;
    subject: string;
    body: string;
    priority: "low" | "normal" | "high" | "urgent";
  }): Promise<{ reference: string; created: boolean }>;
}

export interface HandoffDesk {
  /** Idempotent by callId. Puts the thread in the live-agent queue and notifies staff. */
  request(handoff: {
    callId: string;
    threadId: string;
    channel: Channel;
    reason: string;
    excerpt: string;
  }): Promise<{ created: boolean }>;
}

export interface HandPorts {
  kb: KbSearch;
  orders: OrderSource;
  lookups: LookupQuota;
  tickets: TicketStore;
  handoffs: HandoffDesk;
}
