/**
 * The Worker's entry: HTTP through the Hono app, queue batches to their consumers, inbound email (Cloudflare
 * Email Routing) to the email channel, cron triggers to worker/scheduled.ts. Wrangler needs the
 * Durable Object classes exported from `main`, so they are re-exported here.
 */
import { consumeDeadLetters } from "../queues/dead-letters.ts";
import { consumeEvals } from "../queues/eval-job.ts";
import { consumeKbRebuild } from "../queues/kb-rebuild.ts";
import { consumeToolSteps } from "../queues/tool-steps.ts";
import { consumeWebhooks } from "../queues/webhooks.ts";
import { createApp } from "./app.ts";
import { receiveEmail } from "./email/inbound.ts";
import { runScheduled } from "./scheduled.ts";

export { Breaker } from "../durable-objects/breaker.ts";
export { ConsoleHub } from "../durable-objects/console-hub.ts";
export { LookupQuota } from "../durable-objects/lookup-quota.ts";
export { SpendMeter } from "../durable-objects/spend-meter.ts";
export { Thread } from "../durable-objects/thread.ts";

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch, env, _ctx) {
    if (batch.queue.startsWith("kb-rebuild")) await consumeKbRebuild(batch, env);
    else if (batch.queue.startsWith("evals")) await consumeEvals(batch, env);
    else if (batch.queue.endsWith("-dlq")) await consumeDeadLetters(batch, env);
    else if (batch.queue === "webhooks") await consumeWebhooks(batch, env);
    else await consumeToolSteps(batch, env);
  },
  async email(message, env, ctx) {
    await receiveEmail(message, env, ctx);
  },
  async scheduled(controller, env) {
    await runScheduled(env, controller);
  },
} satisfies ExportedHandler<Env, unknown>;
