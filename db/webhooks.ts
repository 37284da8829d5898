/**
 * Queries of webhooks out: endpoints (the admin API) and deliveries (the emitter and the queue consumer).
 */
import { and, arrayContains, desc, eq, inArray, sql } from "drizzle-orm";
import type { WebhookEventType } from "../core/webhooks/contracts.ts";
import type { Database } from "./client.ts";
import { webhookDeliveries, webhookEndpoints } from "./schema.ts";

export interface WebhookEndpointView {
  id: string;
  url: string;
  events: string[];
  include_content: boolean;
  created_at: string;
}

export async function createWebhookEndpoint(
  db: Database,
  endpoint: { id: string; url: string; events: string[]; secret: string; includeContent: boolean },
): Promise<void> {
  await db.insert(webhookEndpoints).values(endpoint);
}

export async function listWebhookEndpoints(db: Database): Promise<WebhookEndpointView[]> {
  const rows = await db
    .select({
      id: webhookEndpoints.id,
      url: webhookEndpoints.url,
      events: webhookEndpoints.events,
      includeContent: webhookEndpoints.includeContent,
      createdAt: webhookEndpoints.createdAt,
    })
    .from(webhookEndpoints)
    .orderBy(desc(webhookEndpoints.createdAt));
  return rows.map((r) => ({
    id: r.id,
    url: r.url,
    events: r.events,
    include_content: r.includeContent,
    created_at: r.createdAt.toISOString(),
  }));
}

/** True when it existed. Pending deliveries to it are dropped by the consumer. */
export async function deleteWebhookEndpoint(db: Database, id: string): Promise<boolean> {
  const deleted = await db
    .delete(webhookEndpoints)
    .where(eq(webhookEndpoints.id, id))
    .returning({ id: webhookEndpoints.id });
  return deleted.length > 0;
}

export async function subscribedEndpoints(
  db: Database,
  type: WebhookEventType,
): Promise<{ id: string; includeContent: boolean }[]> {
  return db
    .select({ id: webhookEndpoints.id, includeContent: webhookEndpoints.includeContent })
    .from(webhookEndpoints)
    .where(arrayContains(webhookEndpoints.events, [type]));
}

/** Inserts the deliveries that are new and returns their ids (an emitted-again event adds none). */
export async function insertDeliveries(
  db: Database,
  rows: { id: string; endpointId: string; eventType: string }[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insert(webhookDeliveries)
    .values(rows)
    .onConflictDoNothing({ target: webhookDeliveries.id })
    .returning({ id: webhookDeliveries.id });
  return inserted.map((r) => r.id);
}

/** A delivery's status and where it goes (null endpoint: deleted since), in one round trip. */
export async function deliveryTarget(
  db: Database,
  id: string,
): Promise<{ status: string; endpoint: { url: string; secret: string } | null } | null> {
  const [row] = await db
    .select({
      status: webhookDeliveries.status,
      url: webhookEndpoints.url,
      secret: webhookEndpoints.secret,
    })
    .from(webhookDeliveries)
    .leftJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookDeliveries.id, id));
  if (!row) return null;
  const endpoint = row.url !== null && row.secret !== null ? { url: row.url, secret: row.secret } : null;
  return { status: row.status, endpoint };
}

export async function recordAttempt(
  db: Database,
  id: string,
  attempt: { attempts: number; lastStatus: number | null; status: "pending" | "delivered" | "dropped" },
): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({
      attempts: attempt.attempts,
      lastStatus: attempt.lastStatus,
      status: attempt.status,
      ...(attempt.status === "delivered" ? { deliveredAt: sql`now()` } : {}),
    })
    .where(and(eq(webhookDeliveries.id, id), inArray(webhookDeliveries.status, ["pending"])));
}

/** After the queue's last attempt; the row keeps the attempts and the last status it recorded. */
export async function markDeadLettered(db: Database, id: string): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ status: "dead_lettered" })
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.status, "pending")));
}
