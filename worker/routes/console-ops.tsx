/** @jsxImportSource hono/jsx */
/**
 * The console's Tools and Budgets pages (admins), mounted by console.tsx behind its staff check. A switch is a
 * plain form (CSRF-checked by requireStaff) that sets it through the same changeSwitch as the admin API and
 * redirects back to the Tools page saying what changed.
 */
import { Hono } from "hono";
import { z } from "zod";
import { switchKindSchema, toolsQuerySchema } from "../../core/contracts/ops.ts";
import { AppError } from "../../core/errors.ts";
import { createLogger } from "../../core/log.ts";
import { BudgetsPage } from "../console/pages/budgets.tsx";
import { ToolsPage } from "../console/pages/tools.tsx";
import { type ConsoleEnv, requireRole } from "../console/staff-auth.ts";
import { budgetsReport, toolsReport } from "../ops-reports.ts";
import { changeSwitch } from "../rollout.ts";

const switchFormSchema = z.object({
  kind: switchKindSchema,
  name: z.string().max(40),
  enabled: z.enum(["true", "false"]),
  window: toolsQuerySchema.shape.window.catch("24h"),
});

export const consoleOpsRoutes = new Hono<ConsoleEnv>()
  .use("/tools/*", requireRole("admin"))
  .use("/tools", requireRole("admin"))
  .use("/budgets", requireRole("admin"))
  .get("/tools", async (c) => {
    const query = toolsQuerySchema.safeParse({ window: c.req.query("window") });
    if (!query.success) throw new AppError("invalid_input:window", "Invalid window: it is 24h, 7d or 30d.");
    const report = await toolsReport(c.env, c.var.db.get(), c.var.config, query.data.window);
    return c.html(
      <ToolsPage
        shop={c.var.config.shop.name}
        staff={c.var.staff}
        csrf={c.var.csrf}
        report={report}
        notice={c.req.query("notice")?.slice(0, 200)}
      />,
    );
  })
  .post("/tools/switches", async (c) => {
    if (!(c.req.header("content-type") ?? "").startsWith("application/x-www-form-urlencoded"))
      throw new AppError(
        "unsupported_media_type:body",
        "Send the form as application/x-www-form-urlencoded.",
      );
    const form = switchFormSchema.safeParse(await c.req.parseBody());
    if (!form.success) throw new AppError("invalid_input:switch", "The switch form is incomplete.");
    const { kind, name, enabled, window } = form.data;
    const log = createLogger({ requestId: c.var.requestId }, c.var.config.logLevel);
    const staff = c.var.staff;
    const changed = await changeSwitch(
      c.var.db.get(),
      c.var.config,
      { kind, name, enabled: enabled === "true" },
      { kind: "staff", id: staff.id, name: staff.name },
      log,
    );
    const notice = `${kind} ${name} is now ${changed.to ? "on" : "off"} (everywhere within ${changed.effectiveWithinSeconds} s).`;
    return c.redirect(`/console/tools?window=${window}&notice=${encodeURIComponent(notice)}`, 303);
  })
  .get("/budgets", async (c) => {
    const report = await budgetsReport(c.env, c.var.db.get(), c.var.config);
    return c.html(
      <BudgetsPage shop={c.var.config.shop.name} staff={c.var.staff} csrf={c.var.csrf} report={report} />,
    );
  });
