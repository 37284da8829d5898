/** @jsxImportSource hono/jsx */
/** Admin only: the staff accounts, with a button that revokes someone's API tokens and sessions at once. */
import type { StaffMember } from "../../../core/contracts/console.ts";
import type { StaffAccount } from "../../../db/staff.ts";
import { Layout } from "../layout.tsx";

export function StaffPage(props: {
  shop: string;
  staff: StaffMember;
  csrf: string | null;
  accounts: (StaffAccount & { activeTokens: number })[];
  notice?: string;
}) {
  return (
    <Layout title="Staff" shop={props.shop} staff={props.staff} csrf={props.csrf} current="/console/staff">
      <h1>Staff</h1>
      <p>
        Add people with <code>npm run -s staff:add -- --email E --name N [--role admin|agent]</code>.
      </p>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      <table>
        <caption class="sr">Staff accounts</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">API tokens</th>
            <th scope="col">Access</th>
          </tr>
        </thead>
        <tbody>
          {props.accounts.map((a) => (
            <tr>
              <td>{a.name}</td>
              <td>{a.email}</td>
              <td>{a.role}</td>
              <td>{a.activeTokens}</td>
              <td>
                <form method="post" action={`/console/staff/${a.id}/revoke`}>
                  <input type="hidden" name="csrf" value={props.csrf ?? ""} />
                  <button type="submit" aria-label={`Revoke tokens and sessions of ${a.name}`}>
                    Revoke tokens and sessions
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
