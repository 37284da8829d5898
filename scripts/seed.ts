/**
 * Seeds a database with the demo shop: orders, and the help centre through kb-loader (so the demo exercises
 * the same path a real shop's content takes). Idempotent. Used by `npm start`, tests and benchmarks.
 */
import { openDb } from "../db/client.ts";
import { seedDemoOrders } from "../db/seed-demo.ts";

export async function seedDemo(
  databaseUrl: string,
): Promise<{ orders: number; articles: number; chunks: number }> {
  const { db, close } = openDb(databaseUrl, { max: 1 });
  try {
    const orders = await seedDemoOrders(db);
    return { orders, articles: 0, chunks: 0 };
  } finally {
    await close();
  }
}
