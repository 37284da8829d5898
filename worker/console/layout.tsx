/** @jsxImportSource hono/jsx */
/**
 * The console's page frame: skip link, header with the shop name, the navigation the staff member's role
 * allows, who is signed in (with a sign-out form), and the main landmark. Every page renders inside it; a page
 * that wants the live script passes `script`. The CSRF token rides in a meta tag for the progressive scripts.
 */
import type { Child } from "hono/jsx";
import type { StaffMember } from "../../core/contracts/console.ts";
import { navFor } from "./nav.ts";

export function Layout(props: {
  title: string;
  shop: string;
  staff: StaffMember | null;
  csrf: string | null;
  current?: string;
  script?: boolean;
  children: Child;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        {props.csrf ? <meta name="csrf-token" content={props.csrf} /> : null}
        <title>{`${props.title} · ${props.shop} console`}</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        {props.script ? <script src="/console/assets/console.js" defer /> : null}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <p class="brand">{props.shop} support</p>
          {props.staff ? (
            <nav aria-label="Console">
              <ul>
                {navFor(props.staff.role).map((item) => (
                  <li>
                    <a href={item.href} aria-current={props.current === item.href ? "page" : undefined}>
                      {item.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          {props.staff ? (
            <form method="post" action="/console/sign-out" class="who">
              <span>
                {props.staff.name} <span class="role">({props.staff.role})</span>
              </span>
              <input type="hidden" name="csrf" value={props.csrf ?? ""} />
              <button type="submit">Sign out</button>
            </form>
          ) : null}
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
}

/** "4 min", "2 h 5 min", "3 d": how long something has waited. */
export function waited(since: string | null, now: number): string {
  if (!since) return "";
  const minutes = Math.max(0, Math.floor((now - Date.parse(since)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${Math.floor(minutes / 1440)} d`;
}
