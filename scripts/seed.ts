/**
 * Seeds a database with the demo shop: orders, and the help centre through kb-loader (so the demo exercises
 * the same path a real shop's content takes, with embeddings when EMBEDDINGS_* is configured). Idempotent:
 * a re-run changes and embeds nothing that did not change. Used by `npm start`, tests and benchmarks.
 */
import { fileURLToPath } from "node:url";
import { embedderFromSettings } from "../core/retrieval/embedder-config.ts";
import { openDb } from "../db/client.ts";
import { seedDemoOrders } from "../db/seed-demo.ts";
import { loadKnowledge } from "../kb-loader/load-knowledge.ts";

const helpCentre = fileURLToPath(new URL("../demo/help-centre", import.meta.url));

export async function seedDemo(
  databaseUrl: string,
  env: Record<string, string | undefined> = process.env,
): Promise<{ orders: number; articles: number; chunks: number; embeddingModel: string | null }> {
  const { db, close } = openDb(databaseUrl, { max: 1 });
  try {
    const orders = await seedDemoOrders(db);
    const summary = await loadKnowledge({
      db,
      source: { kind: "folder", path: helpCentre, name: "demo-help-centre" },
      embedder: embedderFromSettings(env),
      prune: true,
      // The demo shop's own host (wrangler.jsonc's ALLOWED_LINK_HOSTS): every article must be linkable.
      allowedLinkHosts: ["fernhill.example"],
    });
    if (summary.issues.length > 0) {
      throw new Error(
        `demo help centre has problems: ${summary.issues.map((i) => `${i.location}${i.line ? `:${i.line}` : ""}: ${i.message}`).join("; ")}`,
      );
    }
    const d = summary.documents;
    return {
      orders,
      articles: d.added + d.updated + d.unchanged,
      chunks: summary.chunks.total,
      embeddingModel: summary.embeddingModel,
    };
  } finally {
    await close();
  }
}
