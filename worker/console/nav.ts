/**
 * The console's navigation: one entry per page, with the least role that may see it. Ops pages (metrics,
 * tools, knowledge, evals) add themselves here and mount their routes behind `requireRole("admin")`, so the
 * menu and the gate never disagree.
 */
import type { StaffRole } from "../../core/contracts/console.ts";

export interface NavItem {
  href: string;
  label: string;
  role: StaffRole;
}

export const consoleNav: NavItem[] = [
  { href: "/console", label: "Inbox", role: "agent" },
  { href: "/console/overview", label: "Overview", role: "admin" },
  { href: "/console/knowledge", label: "Knowledge", role: "admin" },
  { href: "/console/evals", label: "Evals", role: "admin" },
  { href: "/console/tools", label: "Tools", role: "admin" },
  { href: "/console/budgets", label: "Budgets", role: "admin" },
  { href: "/console/staff", label: "Staff", role: "admin" },
];

/** The entries a staff member with `role` may open. */
export function navFor(role: StaffRole): NavItem[] {
  return consoleNav.filter((item) => item.role === "agent" || role === "admin");
}
