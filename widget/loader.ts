/**
 * The short-cached loader behind `<script src="https://AGENT_HOST/widget.js" async>`: it adds the long-cached,
 * content-hashed bundle next to itself and hands over its data- attributes, so a new widget version reaches
 * every site within the loader's cache time while the bundle itself is cached for a year. The build
 * (widget/build.ts) replaces __WIDGET_FILE__ with the bundle's file name.
 */

declare const __WIDGET_FILE__: string;

(() => {
  const me = document.currentScript;
  if (!(me instanceof HTMLScriptElement) || !me.src) return;
  const bundle = document.createElement("script");
  bundle.src = new URL(__WIDGET_FILE__, me.src).href;
  bundle.async = true;
  for (const [key, value] of Object.entries(me.dataset)) if (value !== undefined) bundle.dataset[key] = value;
  bundle.dataset.api ??= new URL(me.src).origin;
  (document.head ?? document.documentElement).appendChild(bundle);
})();
