/**
 * Serves the chat widget and the demo shop: `/widget.js` (the loader sites embed; cached for minutes so a new
 * release reaches every site soon), `/widget.<hash>.js` (the bundle, named by its content, cached for a year)
 * and `/` (the demo shop page with the widget on it). The files come from widget-bundle.gen.ts, written by
 * `npm run widget:build`, so the Worker needs no assets binding. Mounted by worker/app.ts at the root.
 */
import { Hono } from "hono";
import { loadConfig } from "../../core/config.ts";
import { parseLinkHosts } from "../../core/contracts/links.ts";
import type { AppEnv } from "../app.ts";
import { demoShopPage } from "./demo-shop-page.ts";
import { WIDGET_BUNDLE, WIDGET_FILE, WIDGET_LOADER } from "./widget-bundle.gen.ts";

const LOADER_CACHE = "public, max-age=300, stale-while-revalidate=3600";
const BUNDLE_CACHE = "public, max-age=31536000, immutable";
/** A bundle name from an older loader still cached somewhere: serve today's bundle, but only briefly. */
const STALE_BUNDLE_CACHE = "public, max-age=300";

/** The loader with this deployment's link allowlist filled in (host names only: safe inside a JS string). */
function loaderFor(env: object): { body: string; etag: string } {
  const hosts = parseLinkHosts(loadConfig(env).config.allowedLinkHosts.join(",")).join(",");
  return { body: WIDGET_LOADER.replace("__LINK_HOSTS__", hosts), etag: `"${WIDGET_FILE}:${hosts}"` };
}

const scriptHeaders = (cacheControl: string): Record<string, string> => ({
  "content-type": "text/javascript; charset=utf-8",
  "cache-control": cacheControl,
  "x-content-type-options": "nosniff",
  // Public, credential-free code: any site may load it, with SRI or under COEP.
  "access-control-allow-origin": "*",
  "cross-origin-resource-policy": "cross-origin",
});

export const widgetRoutes = new Hono<AppEnv>()
  .get("/widget.js", (c) => {
    const loader = loaderFor(c.env);
    const headers = { ...scriptHeaders(LOADER_CACHE), etag: loader.etag };
    if (c.req.header("if-none-match") === loader.etag) return c.body(null, 304, headers);
    return c.body(loader.body, 200, headers);
  })
  .get("/:file{widget\\.[0-9a-f]{8,64}\\.js}", (c) => {
    const current = c.req.param("file") === WIDGET_FILE;
    return c.body(WIDGET_BUNDLE, 200, scriptHeaders(current ? BUNDLE_CACHE : STALE_BUNDLE_CACHE));
  })
  .get("/", (c) => {
    const lang = c.req.query("lang");
    return c.html(demoShopPage({ lang: lang && /^[a-z]{2}$/.test(lang) ? lang : null }), 200, {
      "cache-control": "no-cache",
      "content-security-policy":
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
    });
  });
