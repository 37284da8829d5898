import { describe, expect, it } from "vitest";
import { widgetRoutes } from "./widget.ts";
import { WIDGET_BUNDLE, WIDGET_FILE } from "./widget-bundle.gen.ts";

const env = { ALLOWED_LINK_HOSTS: "fernhill.example, Help.Example.org javascript:alert(1)" };
const get = (path: string, headers: Record<string, string> = {}, vars: object = env) =>
  widgetRoutes.request(`https://agent.example${path}`, { headers }, vars);

describe("widget routes", () => {
  it("serves the loader briefly cached, pointing at the current bundle, with an ETag", async () => {
    const res = await get("/widget.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
    expect(res.headers.get("cache-control")).toContain("max-age=300");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const loader = await res.text();
    expect(loader).toContain(WIDGET_FILE);
    const again = await get("/widget.js", { "if-none-match": res.headers.get("etag") ?? "" });
    expect(again.status).toBe(304);
    // The widget's link allowlist comes with the loader: host names only, and a new list is a new ETag.
    expect(loader).toContain('"fernhill.example,help.example.org"');
    expect(loader).not.toContain("__LINK_HOSTS__");
    const other = await get(
      "/widget.js",
      { "if-none-match": res.headers.get("etag") ?? "" },
      {
        ALLOWED_LINK_HOSTS: "shop.example",
      },
    );
    expect(other.status).toBe(200);
    expect(await other.text()).toContain('"shop.example"');
  });

  it("serves the hashed bundle for a year, and an old hash only briefly", async () => {
    const current = await get(`/${WIDGET_FILE}`);
    expect(current.status).toBe(200);
    expect(current.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await current.text()).toBe(WIDGET_BUNDLE);
    const old = await get("/widget.0123456789ab.js");
    expect(old.status).toBe(200);
    expect(old.headers.get("cache-control")).toBe("public, max-age=300");
    expect((await get("/widget.not-a-hash.js")).status).toBe(404);
  });

  it("serves the demo shop with the widget embedded and a strict CSP", async () => {
    const res = await get("/");
    const html = await res.text();
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(html).toContain('<script src="/widget.js" async');
    expect(html).not.toContain("data-lang");
    expect(await (await get("/?lang=de")).text()).toContain('data-lang="de"');
    expect(await (await get("/?lang=%22%3E%3Cscript%3E")).text()).not.toContain("<script>");
  });
});
