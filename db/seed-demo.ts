/**
 * Loads the demo shop's orders (demo/orders.json, fictional, written for this project) into the orders
 * table. Idempotent: a re-run updates rows in place. Called by `npm start` and the test setup; the help-centre
 * articles go through kb-loader like any shop's content.
 */
import { readFile } from "node:fs/promises";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "./client.ts";
import { orders } from "./schema.ts";

const demoOrderSchema = z.strictObject({
  order_number: z.string().regex(/^FH-\d+$/),
  email: z.email(),
  customer_name: z.string().min(1),
  status: z.string().min(1),
  placed_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
  currency: z.string().length(3),
  total_cents: z.number().int().nonnegative(),
  items: z.array(
    z.strictObject({
      sku: z.string(),
      name: z.string(),
      quantity: z.number().int().positive(),
      unit_price_cents: z.number().int().nonnegative(),
    }),
  ),
  shipping_country: z.string().length(2),
  carrier: z.string().nullable(),
  tracking_number: z.string().nullable(),
  tracking_url: z.url().nullable(),
  estimated_delivery: z.string().nullable(),
});

export const demoOrdersPath = new URL("../demo/orders.json", import.meta.url);

export async function seedDemoOrders(db: Database, path: URL = demoOrdersPath): Promise<number> {
  const list = z.array(demoOrderSchema).parse(JSON.parse(await readFile(path, "utf8")));
  const rows = list.map((o) => ({
    orderNumber: o.order_number,
    email: o.email,
    customerName: o.customer_name,
    status: o.status,
    placedAt: new Date(o.placed_at),
    updatedAt: new Date(o.updated_at),
    currency: o.currency,
    totalCents: o.total_cents,
    items: o.items,
    shippingCountry: o.shipping_country,
    carrier: o.carrier,
    trackingNumber: o.tracking_number,
    trackingUrl: o.tracking_url,
    estimatedDelivery: o.estimated_delivery,
  }));
  await db
    .insert(orders)
    .values(rows)
    .onConflictDoUpdate({
      target: orders.orderNumber,
      set: Object.fromEntries(
        [
          "email",
          "customer_name",
          "status",
          "placed_at",
          "updated_at",
          "currency",
          "total_cents",
          "items",
          "shipping_country",
          "carrier",
          "tracking_number",
          "tracking_url",
          "estimated_delivery",
        ].map((column) => [toCamel(column), sql.raw(`excluded.${column}`)]),
      ),
    });
  return rows.length;
}

function toCamel(column: string): string {
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
