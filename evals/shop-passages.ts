/**
 * A help centre read from files as the shop index's passages (core/brain/shop-index.ts), for the routing eval
 * and its calibration: a folder of Markdown (demo/help-centre) or a JSONL corpus (../shared/data/kb_docs.jsonl),
 * read by kb-loader's own readers. Only what a visitor may be served is kept, as db/kb-passages.ts does: reviewed,
 * English, on the web or email channel. `exclude` drops documents whose id starts with a prefix (a corpus that
 * mixes two businesses' help centres).
 */
import { stat } from "node:fs/promises";
import type { ShopPassage } from "../core/brain/shop-index.ts";
import { readSource } from "../kb-loader/source.ts";

export async function readShopPassages(
  path: string,
  exclude: readonly string[] = [],
): Promise<ShopPassage[]> {
  const kind = (await stat(path)).isDirectory() ? "folder" : "jsonl";
  const { records } = await readSource({ kind, path, defaultReviewed: true });
  return records
    .filter(
      (r) =>
        r.reviewed &&
        r.language === "en" &&
        r.allowed_channels.some((c) => c === "web" || c === "email") &&
        !exclude.some((prefix) => r.id.startsWith(prefix)),
    )
    .map((r) => ({ title: r.title, text: r.text }));
}
