/**
 * The widget's stylesheet, scoped by its Shadow DOM so neither the host page nor the widget can restyle the
 * other. Colours meet WCAG AA (the accent pair comes from color.ts), focus is always visible, motion stops
 * under prefers-reduced-motion, and below 480 px the panel takes the whole screen. The open panel is always
 * drawn over the launcher, which grows on hover only where there is a real hover (a tap leaves a sticky
 * :hover that once drew the launcher over the full-screen panel's Send button) and is hidden while the
 * full-screen panel is open (its header has the close button). Used by view.ts.
 */
import type { Palette } from "./color.ts";

export function stylesheet(p: Palette, side: "left" | "right"): string {
  return `
:host{all:initial}
*{box-sizing:border-box}
.r{--a:${p.accent};--on:${p.onAccent};--ln:${p.link};font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328}
.f{position:fixed;bottom:20px;${side}:20px;z-index:2147483000}
.sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
button{font:inherit;cursor:pointer}
:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.l{width:56px;height:56px;border-radius:50%;border:0;background:var(--a);color:var(--on);box-shadow:0 4px 14px rgba(0,0,0,.25);display:grid;place-items:center;transition:transform .15s}
@media (hover:hover){.l:hover{transform:scale(1.06)}}
.l svg,.s svg{width:26px;height:26px;fill:currentColor}
.p{display:flex;flex-direction:column;background:#fff;border:1px solid #d0d7de;border-radius:14px;overflow:hidden;box-shadow:0 12px 40px rgba(0,0,0,.22)}
.f .p{position:absolute;z-index:1;bottom:68px;${side}:0;width:380px;height:min(600px,calc(100vh - 110px));animation:in .18s ease-out}
.i{height:100%}
.i .p{width:100%;height:100%}
.p[hidden]{display:none}
@keyframes in{from{opacity:0;transform:translateY(8px)}}
.h{display:flex;align-items:center;gap:8px;padding:10px 10px 10px 16px;background:var(--a);color:var(--on)}
.h h2{flex:1;margin:0;font-size:16px;font-weight:600}
.h button{border:1px solid currentColor;background:transparent;color:inherit;border-radius:999px;padding:4px 10px;font-size:13px}
.h .x{border:0;width:32px;height:32px;padding:0;font-size:22px;line-height:1}
.h :focus-visible{outline-color:currentColor}
.v{padding:6px 12px;border-bottom:1px solid #d0d7de;font-size:13px}
.v button{border:1px solid #8c959f;background:#fff;color:#1f2328;border-radius:8px;padding:3px 10px;text-align:left}
.v ul{list-style:none;margin:6px 0;padding:0;max-height:150px;overflow-y:auto}
.v li+li{margin-top:4px}
.v li button{display:block;width:100%;padding:4px 8px}
.v ul :focus-visible{outline-offset:-3px}
.v [aria-current=true]{border-color:#1f2328;background:#f1f3f5}
.vp{display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.vd{display:block;color:#57606a;font-size:12px}
.b{margin:0;padding:8px 16px;font-size:13px;background:#fff8c5;color:#3b2e00;border-bottom:1px solid #d4a72c}
.b[hidden]{display:none}
.w{margin:0;padding:4px 16px;font-size:12px;color:#57606a;border-bottom:1px solid #d0d7de;overflow-wrap:anywhere}
.w[hidden]{display:none}
.g{flex:1;min-height:0;overflow-y:auto;padding:14px 12px;display:flex;flex-direction:column;gap:10px}
.m{max-width:88%;padding:9px 12px;border-radius:14px;overflow-wrap:anywhere}
.m p{margin:0 0 6px}.m p:last-child{margin:0}
.m ul,.m ol{margin:4px 0;padding-left:20px}
.m a{color:var(--ln);text-decoration:underline}
.u{align-self:flex-end;background:var(--a);color:var(--on);white-space:pre-wrap;border-bottom-right-radius:4px}
.u.q{opacity:.75}
.a{align-self:flex-start;background:#f1f3f5;border-bottom-left-radius:4px}
.n{align-self:center;max-width:94%;font-size:13px;color:#57606a;text-align:center}
.c{margin:6px 0 0;font-size:13px}
.ref{margin:6px 0 0;font-size:13px;color:#57606a}
.fb{display:flex;gap:4px;margin-top:6px}
.fb button{border:1px solid #8c959f;background:#fff;color:#1f2328;border-radius:8px;width:34px;height:30px;display:grid;place-items:center;padding:0}
.fb button[aria-pressed=true]{background:#1f2328;color:#fff;border-color:#1f2328}
.fb svg{width:16px;height:16px;fill:currentColor}
.e{align-self:flex-end;font-size:13px;color:#a40e26}
.e button{margin-left:6px;border:1px solid #a40e26;background:#fff;color:#a40e26;border-radius:6px;padding:2px 8px}
.t{align-self:flex-start;display:flex;align-items:center;gap:8px;font-size:13px;color:#57606a}
.t[hidden]{display:none}
.d{display:inline-flex;gap:3px}
.d i{width:6px;height:6px;border-radius:50%;background:#57606a;animation:bl 1s infinite}
.d i:nth-child(2){animation-delay:.15s}.d i:nth-child(3){animation-delay:.3s}
@keyframes bl{50%{opacity:.25}}
.k{display:flex;gap:8px;padding:10px;border-top:1px solid #d0d7de}
.k textarea{flex:1;resize:none;font:inherit;color:#1f2328;border:1px solid #8c959f;border-radius:10px;padding:8px 10px;max-height:120px}
.s{border:0;border-radius:10px;width:44px;background:var(--a);color:var(--on);display:grid;place-items:center}
.s svg{width:20px;height:20px}
@media (max-width:480px){.f .p{position:fixed;inset:0;width:auto;height:auto;border-radius:0;border:0}.f .p:not([hidden])~.l{display:none}}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
`;
}
