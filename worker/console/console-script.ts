/**
 * The console's progressive script, served at /console/assets/console.js (same origin, so the page's CSP
 * `script-src 'self'` allows it). Without it every page still works as plain forms. With it the inbox re-reads
 * its rows when the console hub says a conversation changed, and a conversation page listens to the thread's
 * socket: new messages are appended (built with textContent, never as HTML), the status line follows
 * takeovers and releases, the visitor's typing shows, and the reply box tells the visitor when staff type.
 * A socket that drops is reopened with backoff.
 */
export const CONSOLE_JS = `(() => {
  "use strict";
  const wsUrl = (path) => (location.protocol === "https:" ? "wss://" : "ws://") + location.host + path;
  const socket = (path, onFrame) => {
    let retry = 0, ws = null;
    const open = () => {
      ws = new WebSocket(wsUrl(path), ["support-agent.v1"]);
      // data-live says the page is listening (the console's own tests wait for it too).
      ws.onopen = () => { retry = 0; document.documentElement.dataset.live = "on"; };
      ws.onmessage = (m) => { try { onFrame(JSON.parse(m.data)); } catch (e) {} };
      ws.onclose = () => {
        document.documentElement.dataset.live = "off";
        setTimeout(open, Math.min(10000, 500 * 2 ** retry++));
      };
    };
    open();
    setInterval(() => ws && ws.readyState === 1 && ws.send("ping"), 30000);
    return { send: (frame) => ws && ws.readyState === 1 && ws.send(JSON.stringify(frame)) };
  };
  const LABEL = { user: "Visitor", assistant: "Bot", staff: "Staff", note: "Internal note", event: "Event" };
  const el = (tag, cls, text) => { const n = document.createElement(tag); if (cls) n.className = cls; if (text !== undefined) n.textContent = text; return n; };

  const inbox = document.getElementById("inbox");
  if (inbox) {
    let pending = null;
    const reread = async () => {
      const url = new URL(location.href);
      url.searchParams.set("fragment", "rows");
      const res = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (!res.ok) return;
      const box = document.getElementById("inbox");
      if (box) box.outerHTML = await res.text();
    };
    socket("/api/console/live", (f) => {
      if (f.type !== "inbox") return;
      // The record reaches Postgres a moment after the thread announces it: read once now and once more soon.
      clearTimeout(pending);
      reread();
      pending = setTimeout(reread, 1500);
    });
  }

  const page = document.getElementById("conversation");
  if (page) {
    const list = document.getElementById("transcript");
    const typing = document.getElementById("typing");
    const state = document.getElementById("state");
    let typingOff = null;
    const append = (m) => {
      if (list.querySelector('[data-id="' + m.id + '"]')) return;
      const li = el("li", "msg " + m.role);
      li.dataset.id = m.id;
      li.dataset.seq = String(m.seq);
      const who = el("p", "who", (m.role === "staff" || m.role === "note") ? LABEL[m.role] + ": " + (m.meta.staffName || "staff") : LABEL[m.role] || m.role);
      const time = el("time", "", " " + m.createdAt.slice(11, 16));
      time.setAttribute("datetime", m.createdAt);
      who.append(time);
      li.append(who, el("p", "text", m.content));
      if (m.citations && m.citations.length) li.append(el("p", "cites", "Sources: " + m.citations.map((c) => c.title).join("; ")));
      list.append(li);
      if (m.role === "user") typing.textContent = "";
    };
    const live = socket("/api/console/conversations/" + page.dataset.thread + "/live", (f) => {
      if (f.type === "message") append(f.message);
      else if (f.type === "typing" && f.from === "visitor") {
        typing.textContent = f.on ? "The visitor is typing…" : "";
        clearTimeout(typingOff);
        if (f.on) typingOff = setTimeout(() => { typing.textContent = ""; }, 6000);
      } else if (f.type === "status" && state) {
        const first = state.firstElementChild;
        if (first) first.textContent = "Status: " + (f.status === "handoff" ? (f.owner ? "with " + f.owner.name : "waiting for a person") : f.status);
      }
    });
    const box = document.getElementById("reply-text");
    let last = 0, off = null;
    if (box) box.addEventListener("input", () => {
      const now = Date.now();
      if (now - last > 2000) { live.send({ type: "typing", on: true }); last = now; }
      clearTimeout(off);
      off = setTimeout(() => { live.send({ type: "typing", on: false }); last = 0; }, 3000);
    });
  }
})();
`;
