/** @jsxImportSource hono/jsx */
/** The sign-in page: email and password (or a pointer to Cloudflare Access when the console sits behind it). */
import { Layout } from "../layout.tsx";

export function SignInPage(props: {
  shop: string;
  csrf: string;
  next: string;
  error?: string;
  email?: string;
  access: boolean;
}) {
  return (
    <Layout title="Sign in" shop={props.shop} staff={null} csrf={null}>
      <section class="card narrow">
        <h1>Sign in to the console</h1>
        {props.access ? (
          <p>This console is behind Cloudflare Access: open it through your team's Access login.</p>
        ) : null}
        {props.error ? (
          <p class="error" role="alert">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/console/sign-in">
          <input type="hidden" name="csrf" value={props.csrf} />
          <input type="hidden" name="next" value={props.next} />
          <p>
            <label for="email">Email</label>
            <input
              id="email"
              name="email"
              type="email"
              autocomplete="username"
              required
              value={props.email ?? ""}
            />
          </p>
          <p>
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required />
          </p>
          <p>
            <button type="submit">Sign in</button>
          </p>
        </form>
      </section>
    </Layout>
  );
}
