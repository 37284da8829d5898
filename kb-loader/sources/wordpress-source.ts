/**
 * Reads a WordPress site's published posts and pages through its REST API (/wp-json/wp/v2/posts and /pages),
 * following X-WP-TotalPages, and turns each rendered body into text with its headings. Drafts, private and
 * password-protected content never enter the index; posts deleted or unpublished on the site are simply absent,
 * so `--prune` removes them. A page request that fails after retries aborts the read (nothing is pruned); one
 * malformed item is reported and skipped. Called by source.ts; tested against test-tools/fake-wordpress.
 */
import { z } from "zod";
import { htmlToText } from "../html-to-text.ts";
import { type KbRecord, type LoadIssue, parseRecord } from "../kb-record.ts";

const PER_PAGE = 100;
const RETRIES = 3;

const wpItemSchema = z.object({
  id: z.number().int(),
  link: z.string(),
  status: z.string().optional(),
  type: z.string().optional(),
  modified_gmt: z.string().nullish(),
  title: z.object({ rendered: z.string() }),
  content: z.object({ rendered: z.string(), protected: z.boolean().optional() }),
});

export interface WordPressOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  /** Items per request, at most 100 (WordPress' limit); smaller only for tests and slow sites. */
  perPage?: number | undefined;
}

export async function readWordPress(
  site: string,
  options: WordPressOptions = {},
): Promise<{ records: KbRecord[]; issues: LoadIssue[] }> {
  const records: KbRecord[] = [];
  const issues: LoadIssue[] = [];
  const host = new URL(site).host;
  for (const kind of ["posts", "pages"] as const) {
    let totalPages = 1;
    for (let page = 1; page <= totalPages; page++) {
      const url = new URL(`${site}/wp-json/wp/v2/${kind}`);
      url.searchParams.set("per_page", String(Math.min(PER_PAGE, options.perPage ?? PER_PAGE)));
      url.searchParams.set("page", String(page));
      url.searchParams.set("status", "publish");
      url.searchParams.set("_fields", "id,link,status,type,modified_gmt,title,content");
      const response = await fetchPage(url, options);
      totalPages = Number(response.headers.get("x-wp-totalpages") ?? "1") || 1;
      const body: unknown = await response.json();
      if (!Array.isArray(body)) throw new Error(`${url.pathname} page ${page}: expected a JSON array`);
      body.forEach((item, index) => {
        const where = { location: `${kind} page ${page}`, line: index + 1 };
        const parsed = wpItemSchema.safeParse(item);
        if (!parsed.success) {
          issues.push({
            ...where,
            message: `not a WordPress ${kind.slice(0, -1)}: ${parsed.error.issues[0]?.message}`,
          });
          return;
        }
        const post = parsed.data;
        // Only what the public can read is searchable: published and not behind a password.
        if ((post.status && post.status !== "publish") || post.content.protected) return;
        const result = parseRecord(
          {
            id: `wp:${host}:${post.type ?? kind.slice(0, -1)}:${post.id}`,
            title: htmlToText(post.title.rendered).text,
            url: post.link,
            text: htmlToText(post.content.rendered).text,
            section: kind === "pages" ? "Pages" : "Posts",
            updated_at: post.modified_gmt ?? null,
          },
          where,
          true,
        );
        if (result.ok) records.push(result.record);
        else issues.push(result.issue);
      });
    }
  }
  return { records, issues };
}

async function fetchPage(url: URL, options: WordPressOptions): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const signal = AbortSignal.any([
      AbortSignal.timeout(options.timeoutMs ?? 30_000),
      ...(options.signal ? [options.signal] : []),
    ]);
    let response: Response | null = null;
    let failure: string;
    try {
      response = await fetch(url, { signal, headers: { accept: "application/json" } });
      if (response.ok) return response;
      failure = `HTTP ${response.status}`;
      await response.body?.cancel();
      // A missing route or a refused request will not change on retry.
      if (response.status < 500 && response.status !== 429) {
        throw new Error(`${url.pathname} page ${url.searchParams.get("page")}: ${failure}`);
      }
    } catch (error) {
      if (options.signal?.aborted || response !== null) throw error;
      failure = error instanceof Error ? error.message : String(error);
    }
    if (attempt >= RETRIES)
      throw new Error(`${url.pathname} page ${url.searchParams.get("page")}: ${failure}`);
    await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
  }
}
