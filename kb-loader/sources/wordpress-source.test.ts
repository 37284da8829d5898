import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noEmbedder } from "../../core/retrieval/embedder.ts";
import { kbDocs } from "../../db/schema.ts";
import {
  type FakeWordPress,
  type FakeWpItem,
  startFakeWordPress,
} from "../../test-tools/fake-wordpress/server.ts";
import { loadKnowledge } from "../load-knowledge.ts";
import { startTestDatabase, type TestDatabase } from "../test-database.ts";
import { readWordPress } from "./wordpress-source.ts";

const post = (id: number, extra: Partial<FakeWpItem> = {}): FakeWpItem => ({
  id,
  type: "post",
  status: "publish",
  title: `Post ${id} &#8211; shipping &amp; returns`,
  content: `<p>Intro for post ${id}.</p><h2>Costs</h2><p>Delivery costs &euro;5.</p><script>track()</script>`,
  modifiedGmt: `2026-10-${String((id % 28) + 1).padStart(2, "0")}T10:00:00`,
  slug: `post-${id}`,
  ...extra,
});

let wp: FakeWordPress;
let database: TestDatabase;

beforeAll(async () => {
  const items: FakeWpItem[] = [];
  for (let id = 1; id <= 7; id++) items.push(post(id));
  items.push(post(50, { status: "draft", title: "Draft" }));
  items.push(post(51, { protected: true, title: "Members only" }));
  items.push({
    ...post(100),
    type: "page",
    slug: "about",
    title: "About us",
    content: "<h1>About</h1><p>We are a shop.</p>",
  });
  [wp, database] = await Promise.all([startFakeWordPress({ items }), startTestDatabase()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([wp.close(), database.stop()]);
});

describe("WordPress source", () => {
  it("follows X-WP-TotalPages for posts and pages and converts rendered HTML to text", async () => {
    const before = wp.requests();
    const { records, issues } = await readWordPress(wp.url, { perPage: 3 });
    expect(issues).toEqual([]);
    // 7 published posts at 3 a page are 3 requests; the page list is one.
    expect(wp.requests().posts - before.posts).toBe(3);
    expect(wp.requests().pages - before.pages).toBe(1);
    const host = new URL(wp.url).host;
    expect(records.map((r) => r.id).sort()).toEqual(
      [...[1, 2, 3, 4, 5, 6, 7].map((id) => `wp:${host}:post:${id}`), `wp:${host}:page:100`].sort(),
    );
    const first = records.find((r) => r.id === `wp:${host}:post:1`);
    expect(first).toMatchObject({
      title: "Post 1 – shipping & returns",
      url: `${wp.url}/blog/post-1/`,
      section: "Posts",
      reviewed: true,
      text: "Intro for post 1.\n\n## Costs\n\nDelivery costs €5.",
    });
    expect(first?.updated_at?.toISOString()).toBe("2026-10-02T10:00:00.000Z");
    // Drafts and password-protected posts never reach the index.
    expect(records.some((r) => r.title === "Draft" || r.title === "Members only")).toBe(false);
  });

  it("retries a failing page, then gives up with the page named", async () => {
    wp.failNext(1, 503);
    const { records } = await readWordPress(wp.url, { perPage: 100 });
    expect(records).toHaveLength(8);
    wp.failNext(10, 500);
    await expect(readWordPress(wp.url, { perPage: 100 })).rejects.toThrow(/posts page 1: HTTP 500/);
    wp.failNext(0, 500);
  }, 20_000);

  it("prunes posts deleted or unpublished on the site, and picks up edits", async () => {
    const source = { kind: "wordpress" as const, url: wp.url, perPage: 3 };
    const first = await loadKnowledge({ db: database.db, source, embedder: noEmbedder, prune: true });
    expect(first.documents).toMatchObject({ added: 8, removed: 0 });

    wp.remove(3);
    wp.upsert(post(4, { status: "trash" }));
    wp.upsert(post(5, { content: "<p>Delivery is now free.</p>", modifiedGmt: "2026-11-20T09:00:00" }));
    const second = await loadKnowledge({ db: database.db, source, embedder: noEmbedder, prune: true });
    expect(second.documents).toMatchObject({ added: 0, updated: 1, unchanged: 5, removed: 2 });

    const host = new URL(wp.url).host;
    const ids = (await database.db.select({ id: kbDocs.id }).from(kbDocs)).map((r) => r.id);
    expect(ids).not.toContain(`wp:${host}:post:3`);
    expect(ids).not.toContain(`wp:${host}:post:4`);
    const body = await database.db.execute<{ body: string }>(
      sql`select body from kb_chunks where doc_id = ${`wp:${host}:post:5`}`,
    );
    expect(body[0]?.body).toBe("Delivery is now free.");
  });
});
