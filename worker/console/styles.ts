/**
 * The console's stylesheet, served at /console/assets/console.css. System fonts, colours with at least 4.5:1
 * contrast, visible focus rings, and a layout that holds from a phone to a wide screen.
 */
export const CONSOLE_CSS = `
:root{color-scheme:light;--ink:#1b1f24;--muted:#4d5561;--line:#d0d6de;--bg:#f6f7f9;--card:#fff;--accent:#1f5f3a;--warn:#8a4b00;--note:#fff7d6;--staff:#e8f1ff}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:#0b4f8a}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:9}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.top{display:flex;flex-wrap:wrap;gap:16px;align-items:center;padding:10px 24px;background:var(--accent);color:#fff}
.top a{color:#fff}.brand{margin:0;font-weight:700}
.top nav ul{display:flex;gap:16px;list-style:none;margin:0;padding:0}
.top a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
.who{margin-left:auto;display:flex;gap:10px;align-items:center}.role{opacity:.9}
main{max-width:1100px;margin:0 auto;padding:20px 24px 60px}
h1{margin:.2em 0 .6em;font-size:1.6rem}h2{font-size:1.15rem;margin:.2em 0 .5em}
button{font:inherit;padding:6px 14px;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer}
button:hover{filter:brightness(1.1)}
input,select,textarea{font:inherit;padding:6px 8px;border:1px solid #8a939e;border-radius:6px;background:#fff;color:var(--ink)}
textarea{width:100%}
label{font-weight:600}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin:0 0 16px}
.narrow{max-width:420px;margin:40px auto}.narrow p{display:flex;flex-direction:column;gap:4px}
.error{color:#a40e26;font-weight:600}.notice{color:var(--accent);font-weight:600}.notice:empty{display:none}
.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-bottom:16px}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:8px;margin:0 0 16px}.figures div{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 12px}.figures dt{color:var(--muted);font-size:14px}.figures dd{margin:0;font-weight:600}.windows{display:flex;gap:12px;list-style:none;padding:0}.chart{margin:16px 0}.chart svg{width:100%;max-width:620px;height:auto;color:var(--ink)}.table-wrap{overflow-x:auto}.table-wrap:focus{outline:3px solid var(--accent)}.definition{max-width:70ch;color:var(--muted)}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line)}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top}
tr.waiting td:first-child{border-left:4px solid var(--warn)}
.empty{color:var(--muted)}
.meta{color:var(--muted)}
.summary dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}.summary dt{font-weight:600}.summary dd{margin:0}
.actions{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:0 0 16px}.actions form{display:flex;gap:8px;align-items:center}
.transcript{list-style:none;padding:0;margin:0 0 8px;display:flex;flex-direction:column;gap:8px}
.msg{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:8px 14px;max-width:80%}
.msg p{margin:.2em 0}.msg .who{font-size:.85rem;color:var(--muted);font-weight:600}
.msg.user{align-self:flex-start}.msg.assistant{align-self:flex-end}
.msg.staff{align-self:flex-end;background:var(--staff)}.msg.note{align-self:center;background:var(--note);border-style:dashed}
.msg.event{align-self:center;background:transparent;border:none;color:var(--muted);font-style:italic}
.msg .text{white-space:pre-wrap;overflow-wrap:anywhere}
.tools,.cites{font-size:.85rem;color:var(--muted)}
.typing{min-height:1.5em;color:var(--muted);font-style:italic}
.reply{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px}
.reply p{display:flex;gap:8px;align-items:center}
.switch{margin:8px 0}meter{display:block;width:100%;max-width:220px}
`;
