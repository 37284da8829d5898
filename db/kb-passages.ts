/**
 * The help centre's passages as visitors may be served them (reviewed, English, on the web or email channel),
 * for the offline router's shop index (core/brain/shop-index.ts). Read once per isolate by the Thread Durable
 * Object (durable-objects/turn-port.ts); at most `limit` chunks, so a very large help centre bounds the memory.
 */
import { and, arrayOverlaps, eq } from "drizzle-orm";
import type { ShopPassage } from "../core/brain/shop-index.ts";
import type { Database } from "./client.ts";
import { guarded } from "./db-error.ts";
import { kbChunks } from "./schema.ts";

export const PASSAGE_LIMIT = 5000;

export async function visitorPassages(db: Database, limit = PASSAGE_LIMIT): Promise<ShopPassage[]> {
  const rows = await guarded("kb.passages", () =>
    db
      .select({ title: kbChunks.title, text: kbChunks.body })
      .from(kbChunks)
      .where(
        and(
          eq(kbChunks.reviewed, true),
          eq(kbChunks.language, "en"),
          arrayOverlaps(kbChunks.allowedChannels, ["web", "email"]),
        ),
      )
      .orderBy(kbChunks.id)
      .limit(limit),
  );
  return rows;
}
