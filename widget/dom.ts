/**
 * DOM building without innerHTML: elements, text nodes, inline SVG icons, and the Markdown tree of
 * markdown.ts turned into nodes. Text from the model or the visitor only ever becomes a text node, and links
 * only carry hrefs that markdown.ts already checked are http(s). Used by view.ts.
 */
import type { Block, Inline } from "./markdown.ts";

type Kid = Node | string | null | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...kids: Kid[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const kid of kids) if (kid) node.append(kid);
  return node;
}

const SVG = "http://www.w3.org/2000/svg";
const ICONS = {
  chat: "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z",
  send: "M3 20.5 21.5 12 3 3.5v6.6L15.5 12 3 13.9z",
  up: "M2 10h4v11H2zm6 11h9.3a2 2 0 0 0 2-1.6l1.5-7.2A2 2 0 0 0 18.8 10H14l.8-4.1a1.8 1.8 0 0 0-3.2-1.4L8 9.6z",
};

export function icon(name: keyof typeof ICONS | "down"): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", ICONS[name === "down" ? "up" : name]);
  if (name === "down") path.setAttribute("transform", "rotate(180 12 12)");
  svg.append(path);
  return svg;
}

/** A link that opens in a new tab, says so to screen readers, and gives the target no handle on the page. */
export function link(href: string, text: string, newTabNote: string): HTMLAnchorElement {
  return h(
    "a",
    { href, target: "_blank", rel: "noopener noreferrer nofollow" },
    text,
    h("span", { class: "sr" }, ` ${newTabNote}`),
  );
}

function inline(n: Inline, newTabNote: string): Node {
  switch (n.k) {
    case "text":
      return document.createTextNode(n.v);
    case "b":
      return h("strong", {}, ...n.c.map((c) => inline(c, newTabNote)));
    case "a":
      return link(n.href, n.text, newTabNote);
    case "br":
      return h("br");
  }
}

function inlines(nodes: readonly Inline[], newTabNote: string): Node[] {
  return nodes.map((n) => inline(n, newTabNote));
}

export function renderBlocks(blocks: readonly Block[], newTabNote: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const block of blocks) {
    if (block.k === "p") fragment.append(h("p", {}, ...inlines(block.c, newTabNote)));
    else
      fragment.append(
        h(block.k, {}, ...block.items.map((item) => h("li", {}, ...inlines(item, newTabNote)))),
      );
  }
  return fragment;
}
