/**
 * The short-cached loader behind `<script src="https://AGENT_HOST/widget.js" async>`: it adds the long-cached,
 * content-hashed bundle next to itself and hands over its data- attributes, so a new widget version reaches
 * every site within the loader's cache time while the bundle itself is cached for a year. The build
 * (widget/build.ts) replaces __WIDGET_FILE__ with the bundle's file name; the Worker fills in __LINK_HOSTS__
 * (worker/routes/widget.ts).
 */

declare const __WIDGET_FILE__: string;
/** Replaced by the Worker when it serves the loader: the hosts replies may link to (ALLOWED_LINK_HOSTS). */
const LINK_HOSTS = "__LINK_HOSTS__";

(() => {
  const me = document.currentScript;
  if (!(me instanceof HTMLScriptElement) || !me.src) return;
  const bundle = document.createElement("script");
  bundle.src = new URL(__WIDGET_FILE__, me.src).href;
  bundle.async = true;
  for (const [key, value] of Object.entries(me.dataset)) if (value !== undefined) bundle.dataset[key] = value;
  bundle.dataset.api ??= new URL(me.src).origin;
  // The agent's list, never the page's: a page attribute cannot widen what replies may link to.
  bundle.dataset.linkHosts = LINK_HOSTS;
  (document.head ?? document.documentElement).appendChild(bundle);
})();
