/**
 * A local fake of the WordPress REST API (/wp-json/wp/v2/posts and /pages) for kb-loader's tests: public,
 * paginated lists of published content with X-WP-Total and X-WP-TotalPages, rendered HTML in title and content,
 * the 400 WordPress answers for a page past the end, and switches to unpublish or delete posts between loads
 * and to fail requests. State lives in memory; port 0 picks a free port.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeWpItem {
  id: number;
  type: "post" | "page";
  status: "publish" | "draft" | "private" | "trash";
  title: string;
  /** Rendered HTML, as WordPress returns it. */
  content: string;
  modifiedGmt: string;
  slug: string;
  protected?: boolean;
}

export interface FakeWordPress {
  /** Site root, e.g. http://127.0.0.1:PORT */
  url: string;
  upsert(item: FakeWpItem): void;
  remove(id: number): void;
  /** The next `count` list requests answer with `status`. */
  failNext(count: number, status: number): void;
  /** List requests served, by route ("posts" or "pages"). */
  requests(): { posts: number; pages: number };
  close(): Promise<void>;
}

export async function startFakeWordPress(
  options: { items?: FakeWpItem[]; port?: number } = {},
): Promise<FakeWordPress> {
  const items = new Map<number, FakeWpItem>((options.items ?? []).map((i) => [i.id, i]));
  const counts = { posts: 0, pages: 0 };
  let failures: { left: number; status: number } = { left: 0, status: 500 };
  let origin = "";

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", origin);
    const route = /^\/wp-json\/wp\/v2\/(posts|pages)\/?$/.exec(url.pathname)?.[1];
    if (req.method !== "GET" || (route !== "posts" && route !== "pages")) {
      send(res, 404, {
        code: "rest_no_route",
        message: "No route was found matching the URL and request method.",
        data: { status: 404 },
      });
      return;
    }
    counts[route]++;
    if (failures.left > 0) {
      failures.left--;
      send(res, failures.status, {
        code: "internal_error",
        message: "Simulated failure",
        data: { status: failures.status },
      });
      return;
    }
    const status = url.searchParams.get("status") ?? "publish";
    // Unauthenticated requests may only list published content, as on a real site.
    if (status !== "publish") {
      send(res, 400, {
        code: "rest_invalid_param",
        message: "Invalid parameter(s): status",
        data: { status: 400 },
      });
      return;
    }
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get("per_page") ?? 10)));
    const page = Math.max(1, Number(url.searchParams.get("page") ?? 1));
    const type = route === "posts" ? "post" : "page";
    const visible = [...items.values()]
      .filter((i) => i.type === type && i.status === "publish")
      .sort((a, b) => b.modifiedGmt.localeCompare(a.modifiedGmt) || b.id - a.id);
    const totalPages = Math.max(1, Math.ceil(visible.length / perPage));
    if (page > totalPages) {
      send(res, 400, {
        code: "rest_post_invalid_page_number",
        message: "The page number requested is larger than the number of pages available.",
        data: { status: 400 },
      });
      return;
    }
    const slice = visible.slice((page - 1) * perPage, page * perPage).map((i) => ({
      id: i.id,
      date_gmt: i.modifiedGmt,
      modified_gmt: i.modifiedGmt,
      slug: i.slug,
      status: i.status,
      type: i.type,
      link: `${origin}/${i.type === "page" ? "" : "blog/"}${i.slug}/`,
      title: { rendered: i.title },
      content: { rendered: i.protected ? "" : i.content, protected: i.protected ?? false },
    }));
    send(res, 200, slice, { "x-wp-total": String(visible.length), "x-wp-totalpages": String(totalPages) });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${address.port}`;
  return {
    url: origin,
    upsert: (item) => items.set(item.id, item),
    remove: (id) => items.delete(id),
    failNext: (count, status) => {
      failures = { left: count, status };
    },
    requests: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
