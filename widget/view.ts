/**
 * The widget's DOM inside its Shadow root: launcher, panel, message list, composer, banners and the ARIA live
 * region. It only shows what chat.ts tells it and reports what the visitor does; it holds no conversation
 * state beyond which element shows which message, so a message rendered twice is updated, never duplicated.
 * Keyboard: the launcher toggles the panel and focus moves into the composer; Escape closes and returns focus.
 * "Earlier conversations" (signed-in visitors) is a disclosure: arrow keys move through it, Escape folds it.
 */
import type { ThreadMessage, ThreadStatus } from "../core/contracts/thread.ts";
import { palette } from "./color.ts";
import { h, icon, link, renderBlocks } from "./dom.ts";
import type { Strings } from "./i18n.ts";
import { parseMarkdown, plainText, safeHref } from "./markdown.ts";
import type { ThreadChoice } from "./recent-threads.ts";
import { stylesheet } from "./styles.ts";

export interface ViewOptions {
  t: Strings;
  /** The strings' language, so screen readers pronounce them right on a page in another language. */
  lang: string;
  title: string;
  greeting: string;
  color: string | null;
  side: "left" | "right";
  /** Inline: always open inside the host element (shortcode, block); no launcher. */
  inline: boolean;
  /** Hosts replies may link to, as the agent serves them with the loader; links elsewhere render as text. */
  linkHosts: readonly string[];
}

export interface ViewHandlers {
  open(): void;
  close(): void;
  send(text: string): void;
  human(): void;
  rate(messageId: string, rating: "up" | "down"): void;
  /** Another of the visitor's conversations; null starts a new one. */
  pick(threadId: string | null): void;
  /** A key in the message box (the person on the other side sees "typing"). */
  typed(): void;
}

export type Banner = "network" | "handoff" | "offline" | null;

export function createView(host: HTMLElement, o: ViewOptions, on: ViewHandlers) {
  const { t } = o;
  const root = host.attachShadow({ mode: "open" });
  root.append(h("style", {}, stylesheet(palette(o.color), o.side)));

  const title = h("h2", { id: "sa-title" }, o.title);
  const human = h("button", { type: "button" }, t.talkToPerson);
  const close = h("button", { type: "button", class: "x", "aria-label": t.closeChat }, "×");
  const banner = h("p", { class: "b", role: "status", hidden: "" });
  const signedIn = h("p", { class: "w", hidden: "" });
  const earlierToggle = h(
    "button",
    { type: "button", "aria-expanded": "false", "aria-controls": "sa-v" },
    t.earlier,
  );
  const earlierList = h("ul", { "aria-label": t.earlier });
  const fresh = h("button", { type: "button" }, t.newConversation);
  const earlierBox = h("div", { id: "sa-v", hidden: "" }, earlierList, fresh);
  const earlier = h("div", { class: "v", hidden: "" }, earlierToggle, earlierBox);
  const list = h("div", { class: "g", role: "region", "aria-label": t.conversation, tabindex: "0" });
  const typingText = h("span", {}, t.typing);
  const typing = h(
    "div",
    { class: "t", hidden: "" },
    h("span", { class: "d", "aria-hidden": "true" }, h("i"), h("i"), h("i")),
    typingText,
  );
  const input = h("textarea", {
    id: "sa-in",
    rows: "2",
    maxlength: "4000",
    placeholder: t.placeholder,
    autocomplete: "off",
  });
  const form = h(
    "form",
    { class: "k" },
    h("label", { class: "sr", for: "sa-in" }, t.inputLabel),
    input,
    h("button", { type: "submit", class: "s", "aria-label": t.send }, icon("send")),
  );
  const live = h("div", { class: "sr", "aria-live": "polite", "aria-atomic": "true" });
  const panel = h(
    "div",
    o.inline
      ? { class: "p", role: "region", "aria-labelledby": "sa-title" }
      : { class: "p", id: "sa-panel", role: "dialog", "aria-labelledby": "sa-title", hidden: "" },
    h("div", { class: "h" }, title, human, !o.inline && close),
    signedIn,
    earlier,
    banner,
    list,
    form,
    live,
  );
  const launcher = h(
    "button",
    {
      type: "button",
      class: "l",
      "aria-label": t.openChat,
      "aria-expanded": "false",
      "aria-controls": "sa-panel",
    },
    icon("chat"),
  );
  root.append(h("div", { class: o.inline ? "r i" : "r f", lang: o.lang }, panel, !o.inline && launcher));

  const nodes = new Map<string, HTMLElement>();
  /** Says something once to screen readers; clearing first makes a repeated phrase heard again. */
  const announce = (text: string) => {
    live.textContent = "";
    setTimeout(() => {
      live.textContent = text;
    }, 50);
  };
  let liveBubble: HTMLElement | null = null;
  let isOpen = o.inline;
  list.append(
    h("div", { class: "m a", "data-seq": "-1" }, h("span", { class: "sr" }, `${t.agent}: `), o.greeting),
    typing,
  );

  const atBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const scroll = () => {
    list.scrollTop = list.scrollHeight;
  };
  /** Runs a DOM change and keeps the list pinned to the end if the reader was there, not if they scrolled up. */
  const pinned = (change: () => void) => {
    const stick = atBottom();
    change();
    if (stick) scroll();
  };
  /** Keeps bubbles in the thread's order: before the first one with a higher seq, else before the typing row. */
  const place = (node: HTMLElement, seq: number) => {
    node.dataset.seq = String(seq);
    const after = [...list.children].find((c) => c instanceof HTMLElement && Number(c.dataset.seq) > seq);
    list.insertBefore(node, after ?? liveBubble ?? typing);
  };

  const setOpen = (open: boolean, focus = true) => {
    if (o.inline) return;
    isOpen = open;
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    launcher.setAttribute("aria-label", open ? t.closeChat : t.openChat);
    if (open) {
      on.open();
      scroll();
      if (focus) input.focus();
    } else {
      on.close();
      if (focus) launcher.focus();
    }
  };

  launcher.addEventListener("click", () => setOpen(!isOpen));
  close.addEventListener("click", () => setOpen(false));
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !o.inline) {
      e.preventDefault();
      setOpen(false);
    }
  });
  human.addEventListener("click", () => {
    input.focus();
    on.human();
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    on.send(text);
  });
  input.addEventListener("input", () => on.typed());
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  const expand = (open: boolean) => {
    earlierBox.hidden = !open;
    earlierToggle.setAttribute("aria-expanded", String(open));
  };
  const pick = (threadId: string | null) => {
    expand(false);
    input.focus();
    on.pick(threadId);
  };
  earlierToggle.addEventListener("click", () => expand(earlierBox.hidden));
  fresh.addEventListener("click", () => pick(null));
  earlier.addEventListener("keydown", (e) => {
    if (earlierBox.hidden) return;
    if (e.key === "Escape") {
      // Folds the list only; the panel's own Escape (close) is for when the list is folded.
      e.preventDefault();
      e.stopPropagation();
      expand(false);
      earlierToggle.focus();
      return;
    }
    const items = [...earlier.querySelectorAll("button")];
    const at = e.target instanceof HTMLButtonElement ? items.indexOf(e.target) : -1;
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    items[(to + items.length) % items.length]?.focus();
  });

  const feedback = (id: string, rating: "up" | "down" | undefined) => {
    const button = (r: "up" | "down", label: string) => {
      const b = h(
        "button",
        { type: "button", "aria-label": label, "aria-pressed": String(rating === r), "data-r": r },
        icon(r),
      );
      b.addEventListener("click", () => on.rate(id, r));
      return b;
    };
    return h("div", { class: "fb" }, button("up", t.helpful), button("down", t.notHelpful));
  };

  const bubble = (m: ThreadMessage, rating: "up" | "down" | undefined): HTMLElement => {
    if (m.role === "user")
      return h("div", { class: "m u" }, h("span", { class: "sr" }, `${t.you}: `), m.content);
    if (m.role === "event") return h("div", { class: "m n" }, m.content);
    // A person's reply: their name on it, plain text (people do not write the agent's Markdown links).
    if (m.role === "staff")
      return h(
        "div",
        { class: "m a" },
        h("b", { class: "who" }, `${m.meta.staffName ?? t.agent}: `),
        m.content,
      );
    const body = h(
      "div",
      { class: "m a" },
      h("span", { class: "sr" }, `${t.agent}: `),
      renderBlocks(parseMarkdown(m.content, o.linkHosts), t.newTab),
    );
    // The reply's own text links most citations already; list only those it does not.
    const linked = new Set([...body.querySelectorAll("a")].map((a) => a.href));
    const extra = m.citations.flatMap((c) => {
      const href = safeHref(c.url, o.linkHosts);
      return href && !linked.has(href) ? [{ href, title: c.title }] : [];
    });
    if (extra.length > 0) {
      const p = h("p", { class: "c" }, `${t.sources}: `);
      extra.forEach((c, i) => {
        p.append(i > 0 ? "; " : "", link(c.href, c.title, t.newTab));
      });
      body.append(p);
    }
    if (m.meta.ticketReference)
      body.append(h("p", { class: "ref" }, `${t.reference}: ${m.meta.ticketReference}`));
    body.append(feedback(m.id, rating));
    return body;
  };

  return {
    root,
    isOpen: () => isOpen,
    scrollToEnd: scroll,
    setOpen,
    focusInput: () => input.focus(),

    /**
     * Shows a stored message once; a local bubble sent with the same client id becomes this message.
     * True when the message is new to the view.
     */
    upsert(m: ThreadMessage, rating?: "up" | "down"): boolean {
      if (nodes.has(m.id)) return false;
      const pending = m.meta.clientId ? nodes.get(`c:${m.meta.clientId}`) : undefined;
      if (pending && m.role === "user") {
        nodes.delete(`c:${m.meta.clientId}`);
        pending.classList.remove("q");
        nodes.set(m.id, pending);
        place(pending, m.seq);
        return false;
      }
      const node = bubble(m, rating);
      nodes.set(m.id, node);
      pinned(() => place(node, m.seq));
      return true;
    },

    /** The visitor's message, shown at once and dimmed until the agent has it. */
    pending(clientId: string, text: string) {
      if (nodes.has(`c:${clientId}`)) return;
      const node = h("div", { class: "m u q" }, h("span", { class: "sr" }, `${t.you}: `), text);
      nodes.set(`c:${clientId}`, node);
      place(node, Number.MAX_SAFE_INTEGER);
      scroll();
    },

    /** The agent answered the pending message: it takes its place just before the reply. */
    sent(clientId: string, seq: number) {
      const node = nodes.get(`c:${clientId}`);
      node?.classList.remove("q");
      if (node) place(node, seq);
      nodes.get(`e:${clientId}`)?.remove();
      nodes.delete(`e:${clientId}`);
    },

    failed(clientId: string, retry: () => void) {
      const button = h("button", { type: "button" }, t.retry);
      const note = h("div", { class: "e", role: "alert" }, t.sendFailed, button);
      button.addEventListener("click", () => {
        note.remove();
        nodes.delete(`e:${clientId}`);
        input.focus();
        retry();
      });
      nodes.get(`e:${clientId}`)?.remove();
      nodes.set(`e:${clientId}`, note);
      list.insertBefore(note, typing);
      scroll();
    },

    /** Empties the conversation (back to the greeting) before another thread is shown. */
    reset() {
      for (const node of nodes.values()) node.remove();
      nodes.clear();
      liveBubble?.remove();
      liveBubble = null;
      typing.hidden = true;
    },

    /** The visitor's recent conversations, the one shown marked as current; an empty list hides it all. */
    threads(choices: readonly ThreadChoice[], current: string | null) {
      earlier.hidden = choices.length === 0;
      if (choices.length === 0) expand(false);
      earlierList.replaceChildren(
        ...choices.map((c) => {
          const b = h(
            "button",
            c.id === current ? { type: "button", "aria-current": "true" } : { type: "button" },
            h("span", { class: "vp" }, c.preview),
            // Keeps the two apart in the button's accessible name.
            " ",
            h("span", { class: "vd" }, c.when),
          );
          b.addEventListener("click", () => pick(c.id));
          return h("li", {}, b);
        }),
      );
    },

    /** The reply as it streams; null removes it (the final message replaces it). */
    streaming(text: string | null) {
      if (text === null) {
        liveBubble?.remove();
        liveBubble = null;
        return;
      }
      liveBubble ??= h("div", { class: "m a", "aria-busy": "true" });
      const bubble = liveBubble;
      pinned(() => {
        bubble.replaceChildren(renderBlocks(parseMarkdown(text, o.linkHosts), t.newTab));
        list.insertBefore(bubble, typing);
      });
    },

    typing(state: "typing" | "tool" | null) {
      pinned(() => {
        typing.hidden = state === null;
        typingText.textContent = state === "tool" ? t.lookingUp : t.typing;
      });
    },

    banner(kind: Banner) {
      banner.hidden = kind === null;
      banner.textContent =
        kind === "network"
          ? t.networkDown
          : kind === "handoff"
            ? t.handoffBanner
            : kind === "offline"
              ? t.offlineBanner
              : "";
    },

    /** "Signed in as Ana": the agent accepted the site's sign-in for this visitor; null hides it. */
    signedIn(name: string | null) {
      signedIn.hidden = name === null;
      signedIn.textContent = name === null ? "" : t.signedInAs.replace("{name}", name);
    },

    status(status: ThreadStatus) {
      human.hidden = status !== "open";
    },

    rated(messageId: string, rating: "up" | "down") {
      for (const b of nodes.get(messageId)?.querySelectorAll<HTMLButtonElement>(".fb button") ?? []) {
        b.setAttribute("aria-pressed", String(b.dataset.r === rating));
      }
    },

    announce,
    announceReply(m: ThreadMessage) {
      if (m.role === "staff") announce(`${m.meta.staffName ?? t.agent}: ${m.content}`);
      else announce(`${t.agent}: ${plainText(parseMarkdown(m.content, o.linkHosts))}`);
    },
  };
}

export type View = ReturnType<typeof createView>;
