/**
 * The widget bundle's entry. Reads its settings from the script tag's data- attributes (title, greeting,
 * color, position, lang, api) and from window.SupportAgentConfig (set by the WordPress plugin, which also
 * passes a logged-in visitor's signed identity), then mounts the chat in a Shadow root: inline inside an
 * element marked data-support-agent-inline (shortcode, block) or as a floating launcher. The API base defaults
 * to the origin the script was loaded from, so the one-line embed needs no configuration.
 */

import { parseLinkHosts } from "../core/contracts/links.ts";
import { createApi } from "./api.ts";
import { createChat, type IdentitySource } from "./chat.ts";
import { pickLang, strings } from "./i18n.ts";
import { connectLive } from "./live.ts";
import { deviceId, sessionStore } from "./session.ts";
import { createView, type View } from "./view.ts";

declare global {
  interface Window {
    SupportAgentConfig?: unknown;
    __supportAgentMounted?: boolean;
  }
}

// Read at once: document.currentScript is only set while this script first runs.
const script = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;

type Settings = Record<string, string | undefined>;

function settings(): Settings {
  const out: Settings = {};
  const global = window.SupportAgentConfig;
  if (typeof global === "object" && global !== null) {
    for (const [key, value] of Object.entries(global)) if (typeof value === "string") out[key] = value;
  }
  for (const [key, value] of Object.entries(script?.dataset ?? {})) if (value) out[key] = value;
  return out;
}

function identitySource(s: Settings): IdentitySource {
  let token = s.identityToken ?? null;
  return {
    current: () => token,
    async refresh() {
      if (!s.identityRefreshUrl) return null;
      const res = await fetch(s.identityRefreshUrl, {
        credentials: "same-origin",
        headers: s.identityNonce ? { "x-wp-nonce": s.identityNonce } : {},
      });
      const body: unknown = res.ok ? await res.json() : null;
      token =
        typeof body === "object" && body !== null && "token" in body && typeof body.token === "string"
          ? body.token
          : null;
      return token;
    },
  };
}

function mount(): void {
  if (window.__supportAgentMounted) return;
  window.__supportAgentMounted = true;
  const s = settings();
  const base = s.api ?? (script?.src ? new URL(script.src).origin : location.origin);
  const lang = pickLang(s.lang, navigator.languages ?? [navigator.language]);
  const t = strings[lang];
  const inlineHost = document.querySelector<HTMLElement>("[data-support-agent-inline]");
  const host = inlineHost ?? document.body.appendChild(document.createElement("div"));
  if (!inlineHost) host.id = "support-agent";

  let view: View | null = null;
  const chat = createChat({
    api: createApi(base, deviceId()),
    store: sessionStore(base),
    t,
    lang,
    identity: identitySource(s),
    live: (threadId, auth, on) => connectLive(base, threadId, auth, on),
    view: () => {
      if (!view) throw new Error("support-agent: view not mounted");
      return view;
    },
  });
  view = createView(
    host,
    {
      t,
      lang,
      title: s.title ?? t.title,
      greeting: s.greeting ?? t.greeting,
      color: s.color ?? null,
      side: s.position === "left" || s.position === "bottom-left" ? "left" : "right",
      inline: inlineHost !== null,
      // Set by the agent's loader from ALLOWED_LINK_HOSTS; without it, no reply shows a link.
      linkHosts: parseLinkHosts(s.linkHosts),
    },
    {
      open: () => chat.opened(),
      close: () => chat.closed(),
      send: (text) => chat.send(text),
      human: () => chat.human(),
      rate: (id, rating) => {
        void chat.rate(id, rating);
      },
      pick: (threadId) => chat.show(threadId),
      typed: () => chat.typed(),
    },
  );
  if (inlineHost) chat.opened();
  else if (chat.wasOpen()) view.setOpen(true, false);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount, { once: true });
else mount();
