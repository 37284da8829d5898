/**
 * `npm run test:wordpress`: the plugin in a REAL WordPress (./site.ts: core 6.5 from
 * @wp-playground/wordpress-builds, SQLite through the official integration, Debian's php -S), against a real
 * local agent (the stack `npm start` builds: PGlite with the demo shop and `wrangler dev`), checked in
 * Chromium like a site owner and their customers would: the plugin zip (npm run wp:zip) uploaded and
 * activated, its settings saved (an unsafe URL refused, sign-in off until a secret is saved), Test
 * connection green and red, the floating widget on pages, the shortcode's box and height, a signed-in
 * customer shown as signed in who gets their own orders without giving an email, the agent's own webhook
 * deliveries (the site registered with POST /api/admin/webhooks, handoffs asked for in the widget) turned into
 * the admin notice and emails, a bad signature, a changed body and a replay changing nothing, and no PHP
 * warning from the plugin. Ends with `N passed, N failed` and the total time.
 *
 * Ports: PORT (agent), LOCAL_DB_PORT (PGlite) and WP_PORT (php -S), free ones when unset.
 */
import "../../scripts/launcher.ts";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { started } from "../../scripts/lifecycle.ts";
import { freePort } from "../../scripts/wrangler-dev.ts";
import { assert, createRunner, launchChromium, savedSession } from "../../widget/e2e/harness.ts";
import { startStack } from "../../widget/e2e/stack.ts";
import { ADMIN, startSite } from "./site.ts";
import { restAsUser, saveSettings, signIn, testConnection, uploadAndActivate } from "./wp-admin.ts";

const began = performance.now();
const root = fileURLToPath(new URL("../..", import.meta.url));
const zipPath = `${root}artifacts/support-agent.zip`;
const portFrom = async (name: string) => Number(process.env[name]) || (await freePort());
const agentPort = await portFrom("PORT");
const wpPort = await portFrom("WP_PORT");
const wpUrl = `http://127.0.0.1:${wpPort}`;
const agentUrl = `http://127.0.0.1:${agentPort}`;
const IDENTITY_SECRET = "wordpress-e2e-shared-secret-0123456789abcdefghij";
const ADMIN_TOKEN = "wordpress-e2e-admin-token-0123456789";
// A demo-shop customer with two orders (demo/orders.json), and the orders of nobody else.
const CUSTOMER = {
  user: "lukas",
  password: "e2e-customer-password-7h2m",
  email: "lukas.brandt@example.net",
  name: "Lukas Brandt",
};
const CUSTOMER_ORDERS = ["FH-100237", "FH-100412"];

const runner = createRunner();
const log = (line: string) => console.log(line);
if (!existsSync(zipPath))
  throw new Error("artifacts/support-agent.zip is missing: run `npm run wp:zip` first");

const timed = async <T>(label: string, work: Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const value = await work;
  log(`${label} ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return value;
};
// The agent and WordPress need nothing from each other to start: side by side.
const [stack, site] = await Promise.all([
  started(
    timed(
      "agent",
      startStack(log, [wpUrl], {
        port: agentPort,
        databasePort: Number(process.env.LOCAL_DB_PORT) || 0,
        vars: {
          ALLOWED_ORIGINS: wpUrl,
          // WordPress signs for its home URL; the audience is the agent URL saved in the plugin.
          IDENTITY_SECRET,
          IDENTITY_ISSUER: wpUrl,
          IDENTITY_AUDIENCE: agentUrl,
          ADMIN_TOKEN,
          WEBHOOKS_ALLOW_LOOPBACK: "true",
        },
      }),
    ),
    (s) => s.stop(),
  ),
  started(timed("wordpress", startSite({ port: wpPort, log })), (s) => s.stop()),
]);
const browser = await started(launchChromium(), (b) => b.close());

/** A fresh browser profile that reaches this machine only (the admin bar's avatars would go out). */
async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  await context.route(
    (url) => url.hostname !== "127.0.0.1" && url.hostname !== "localhost",
    (route) => route.abort(),
  );
  return context;
}

const adminContext = await newContext();
const admin = await adminContext.newPage();
const settingsUrl = `${wpUrl}/wp-admin/options-general.php?page=support-agent`;
let webhookUrl = "";
let webhookSecret = "";
let shortcodePage = "";

async function openWidget(page: Page): Promise<void> {
  const launcher = page.locator("#support-agent").getByRole("button", { name: "Open support chat" });
  await launcher.click({ timeout: 15_000 });
}

/**
 * Sends a message in the widget inside `host` (the floating one, or the shortcode's box) and returns the
 * reply's text once it has finished streaming.
 */
async function ask(page: Page, text: string, host = "#support-agent"): Promise<string> {
  const replies = ([selector]: readonly [string]) =>
    [
      ...(document
        .querySelector(selector)
        ?.shadowRoot?.querySelectorAll<HTMLElement>(".g > .m.a:not([aria-busy]):not([data-seq='-1'])") ?? []),
    ].map((n) => {
      const clone = n.cloneNode(true) as HTMLElement;
      for (const extra of clone.querySelectorAll(".fb, :scope > .sr")) extra.remove();
      return (clone.textContent ?? "").replace(/\s+/g, " ").trim();
    });
  const before = (await page.evaluate(replies, [host] as const)).length;
  const box = page.locator(host).getByRole("textbox", { name: "Your message" });
  await box.fill(text);
  await box.press("Enter");
  await page.waitForFunction(
    ([selector, n]) =>
      (document
        .querySelector(selector)
        ?.shadowRoot?.querySelectorAll(".g > .m.a:not([aria-busy]):not([data-seq='-1'])").length ?? 0) > n,
    [host, before] as const,
    { timeout: 30_000 },
  );
  return (await page.evaluate(replies, [host] as const)).at(-1) ?? "";
}

/** The number in "N conversations need a person", or 0 without the notice, on the Dashboard. */
async function waitingNotice(): Promise<{ count: number; text: string; link: string }> {
  await admin.goto(`${wpUrl}/wp-admin/`);
  const notice = admin.locator(".support-agent-waiting");
  if ((await notice.count()) === 0) return { count: 0, text: "", link: "" };
  const text = ((await notice.textContent()) ?? "").replace(/\s+/g, " ").trim();
  return {
    count: Number(/(\d+) conversations? needs? a person/.exec(text)?.[1] ?? -1),
    text,
    link: (await notice.getByRole("link").getAttribute("href")) ?? "",
  };
}

/** Posts one webhook to the plugin's REST route, signed with `secret` per Standard Webhooks. */
async function deliver(event: object, options: { id?: string; secret?: string; tamper?: boolean } = {}) {
  const id = options.id ?? `msg_${crypto.randomUUID().replaceAll("-", "")}`;
  const body = JSON.stringify(event);
  const at = new Date();
  const signature = new Webhook(options.secret ?? webhookSecret).sign(id, at, body);
  const res = await fetch(webhookUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": signature,
    },
    body: options.tamper ? body.replace("handoff.requested", "conversation.closed") : body,
  });
  return { id, status: res.status, body: await res.text() };
}

const handoff = (threadId: string) => ({
  type: "handoff.requested",
  timestamp: new Date().toISOString(),
  data: { thread_id: threadId, channel: "web" },
});

try {
  await runner.step("the site owner signs in to wp-admin", async () => {
    await signIn(admin, wpUrl, ADMIN.user, ADMIN.password);
    return `WordPress ${site.version}, ${admin.url().replace(wpUrl, "")}`;
  });

  await runner.step("the plugin zip is uploaded, installed and activated", async () => {
    const notice = await uploadAndActivate(admin, wpUrl, zipPath);
    const row = admin.locator('tr[data-plugin="support-agent/support-agent.php"]');
    assert((await row.getAttribute("class"))?.includes("active"), "the plugin's row is not active");
    return notice;
  }, ["the site owner signs in to wp-admin"]);

  const activated = ["the plugin zip is uploaded, installed and activated"];
  await runner.step(
    "settings: an unsafe URL is refused, sign-in stays off until a secret is saved",
    async () => {
      await admin.goto(settingsUrl);
      assert(
        await admin.locator("#support_agent_identify_users").isDisabled(),
        "sign-in can be ticked without a secret",
      );
      await admin.fill("#support_agent_agent_url", "javascript:alert(1)");
      const refused = await saveSettings(admin);
      assert(/must start with https/.test(refused), `an unsafe URL gave: ${refused}`);
      assert((await admin.inputValue("#support_agent_agent_url")) === "", "the unsafe URL was kept");

      // The agent hands out the endpoint secret once, for the URL the settings page names.
      webhookUrl = (
        (await admin.locator("code", { hasText: "support-agent/v1/webhook" }).textContent()) ?? ""
      ).trim();
      const registered = await fetch(`${agentUrl}/api/admin/webhooks`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({
          url: webhookUrl,
          events: ["handoff.requested", "ticket.created", "conversation.assigned", "conversation.closed"],
        }),
      });
      const answer = await registered.text();
      assert(registered.status === 201, `POST /api/admin/webhooks: ${registered.status} ${answer}`);
      webhookSecret = (JSON.parse(answer) as { secret: string }).secret;

      await admin.fill("#support_agent_agent_url", agentUrl);
      await admin.fill("#support_agent_secret", IDENTITY_SECRET);
      await admin.fill("#support_agent_webhook_secret", webhookSecret);
      const saved = await saveSettings(admin);
      assert(/Settings saved/.test(saved), `saving gave: ${saved}`);
      await admin.check("#support_agent_identify_users");
      await saveSettings(admin);
      assert(await admin.isChecked("#support_agent_identify_users"), "sign-in did not stay on");
      return `agent ${agentUrl}, webhook ${webhookUrl.replace(wpUrl, "")}`;
    },
    activated,
  );

  const configured = ["settings: an unsafe URL is refused, sign-in stays off until a secret is saved"];
  await runner.step(
    "Test connection is green against the running agent",
    async () => {
      const result = await testConnection(admin, wpUrl);
      assert(result.code === "ok", `Test connection: ${result.code} ${result.text}`);
      assert(
        await admin.locator("#support-agent-test-result.notice-success").isVisible(),
        "the result is not shown as success",
      );
      return result.text;
    },
    configured,
  );

  await runner.step(
    "Test connection is red for a wrong secret and for an origin the agent does not allow",
    async () => {
      await admin.goto(settingsUrl);
      await admin.fill("#support_agent_secret", `${IDENTITY_SECRET}-but-not-the-agents`);
      await saveSettings(admin);
      const wrongSecret = await testConnection(admin, wpUrl);
      assert(wrongSecret.code === "secret_mismatch", `wrong secret: ${wrongSecret.code} ${wrongSecret.text}`);
      assert(
        await admin.locator("#support-agent-test-result.notice-error").isVisible(),
        "not shown as an error",
      );
      await admin.goto(settingsUrl);
      await admin.fill("#support_agent_secret", IDENTITY_SECRET);
      await saveSettings(admin);

      // The same site at another address is another origin, which the agent's ALLOWED_ORIGINS does not list.
      const otherUrl = `http://localhost:${wpPort}`;
      site.moveTo(otherUrl);
      const moved = await newContext();
      let wrongOrigin: { code: string; text: string };
      try {
        const page = await moved.newPage();
        await signIn(page, otherUrl, ADMIN.user, ADMIN.password);
        wrongOrigin = await testConnection(page, otherUrl);
      } finally {
        site.moveTo(null);
        await moved.close();
      }
      assert(
        wrongOrigin.code === "origin_not_allowed",
        `other origin: ${wrongOrigin.code} ${wrongOrigin.text}`,
      );
      assert(
        wrongOrigin.text.includes(otherUrl),
        `the message does not name the origin: ${wrongOrigin.text}`,
      );
      assert((await testConnection(admin, wpUrl)).code === "ok", "Test connection is not green again");
      return `${wrongSecret.code}; ${wrongOrigin.code}: ${wrongOrigin.text.slice(0, 80)}`;
    },
    configured,
  );

  const visitorContext = await newContext();
  const visitor = await visitorContext.newPage();
  let visitorThread = "";
  await runner.step(
    "the floating widget on the site's pages answers a visitor",
    async () => {
      await visitor.goto(`${wpUrl}/`);
      const tag = visitor.locator("script#support-agent-js");
      assert(
        (await tag.getAttribute("src"))?.startsWith(`${agentUrl}/widget.js`),
        "the loader is not the agent's",
      );
      assert((await tag.getAttribute("async")) !== null, "the loader is not async");
      await openWidget(visitor);
      const answer = await ask(visitor, "How long do refunds take?");
      assert(/refund/i.test(answer), `answer: ${answer.slice(0, 200)}`);
      assert(
        !(await visitor
          .locator("#support-agent")
          .getByText(/Signed in as/)
          .isVisible()),
        "a guest is shown as signed in",
      );
      visitorThread = (await savedSession(visitor)).threadId;
      return answer.slice(0, 80);
    },
    configured,
  );

  await runner.step(
    "the shortcode's box has its height and the chat scrolls inside it",
    async () => {
      const created = await restAsUser<{ link: string }>(admin, "/wp/v2/pages", {
        title: "Help",
        content: '[support_agent height="480"]',
        status: "publish",
      });
      shortcodePage = created.link;
      const page = await visitorContext.newPage();
      await page.goto(shortcodePage);
      const box = page.locator("[data-support-agent-inline]");
      await box.getByRole("textbox", { name: "Your message" }).waitFor({ timeout: 15_000 });
      const height = async () => Math.round((await box.boundingBox())?.height ?? 0);
      assert((await height()) === 480, `the box is ${await height()} px tall`);
      for (const q of [
        "How long does shipping to Germany take?",
        "Can I return a gift?",
        "What payment methods do you accept?",
      ])
        await ask(page, q, "[data-support-agent-inline]");
      const scroll = await page.evaluate(() => {
        const list = document
          .querySelector("[data-support-agent-inline]")
          ?.shadowRoot?.querySelector<HTMLElement>(".g");
        return list
          ? { overflow: getComputedStyle(list).overflowY, scrolls: list.scrollHeight > list.clientHeight }
          : null;
      });
      assert(
        scroll && scroll.overflow === "auto" && scroll.scrolls,
        `message list: ${JSON.stringify(scroll)}`,
      );
      assert((await height()) === 480, `after three answers the box is ${await height()} px tall`);
      await page.close();
      return "480 px; the conversation scrolls inside";
    },
    configured,
  );

  let customerThread = "";
  await runner.step(
    "a signed-in customer is shown as signed in and gets their own orders without an email",
    async () => {
      await restAsUser(admin, "/wp/v2/users", {
        username: CUSTOMER.user,
        email: CUSTOMER.email,
        password: CUSTOMER.password,
        name: CUSTOMER.name,
        roles: ["subscriber"],
      });
      const context = await newContext();
      const page = await context.newPage();
      await signIn(page, wpUrl, CUSTOMER.user, CUSTOMER.password);
      await page.goto(`${wpUrl}/`);
      await openWidget(page);
      await page
        .locator("#support-agent")
        .getByText(`Signed in as ${CUSTOMER.name}`)
        .waitFor({ timeout: 10_000 });
      const answer = await ask(page, "Where is my order?");
      const numbers = [...new Set(answer.match(/FH-\d+/g) ?? [])].sort();
      assert(
        JSON.stringify(numbers) === JSON.stringify(CUSTOMER_ORDERS),
        `expected ${CUSTOMER_ORDERS.join(", ")}, the reply names ${numbers.join(", ") || "none"}: ${answer.slice(0, 200)}`,
      );
      assert(!/e-?mail/i.test(answer), `the reply asks for an email: ${answer.slice(0, 200)}`);
      await page.locator("#support-agent").getByRole("button", { name: "Talk to a person" }).click();
      await page
        .locator("#support-agent")
        .getByText("A person from our team will take over")
        .waitFor({ timeout: 15_000 });
      customerThread = (await savedSession(page)).threadId;
      await context.close();
      return `"Signed in as ${CUSTOMER.name}"; ${numbers.join(", ")}; handed to a person`;
    },
    configured,
  );

  await runner.step(
    "the agent's signed handoff webhooks become the admin notice and emails",
    async () => {
      // The guest asks for a person too: two conversations wait. The agent delivers handoff.requested to the
      // endpoint registered above (its queue, its signature); nothing in this step signs anything.
      const asked = performance.now();
      await visitor.locator("#support-agent").getByRole("button", { name: "Talk to a person" }).click();
      await visitor
        .locator("#support-agent")
        .getByText("A person from our team will take over")
        .waitFor({ timeout: 15_000 });
      assert(visitorThread && customerThread, "the two conversations have no thread ids");
      let notice = await waitingNotice();
      for (const deadline = Date.now() + 30_000; notice.count < 2 && Date.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 500));
        notice = await waitingNotice();
      }
      const waited = Math.round(performance.now() - asked);
      assert(notice.count === 2, `after ${waited} ms the notice says: "${notice.text}"`);
      assert(notice.text.includes("2 conversations need a person."), `notice: "${notice.text}"`);
      assert(notice.link === `${agentUrl}/console`, `the notice links to ${notice.link}`);
      const mail = site.mail();
      // One raw message per mail() call; the install's own "New WordPress Site" is among them.
      const handoffMails = mail
        .split(/^(?=To: )/m)
        .filter((m) => m.includes("A visitor asked for a person in the support chat"));
      assert(
        handoffMails.length === 2 && handoffMails.every((m) => m.startsWith(`To: ${ADMIN.email}\r\n`)),
        `handoff emails: ${JSON.stringify(handoffMails).slice(0, 400)}`,
      );
      assert(
        mail.includes(`${agentUrl}/console/conversations/${customerThread}`),
        "the email does not link the conversation",
      );
      return `"${notice.text}" ${waited} ms after the guest's click; 2 emails to ${ADMIN.email}`;
    },
    configured,
  );

  // Deliveries the agent would never send, so these are signed here with the standardwebhooks package.
  await runner.step("a badly signed or replayed webhook changes nothing; an assignment clears one", async () => {
    const other = `thr_${crypto.randomUUID()}`;
    const forged = await deliver(handoff(other), {
      secret: `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`,
    });
    assert(forged.status === 401, `a wrong key: ${forged.status} ${forged.body}`);
    const tampered = await deliver(handoff(other), { tamper: true });
    assert(tampered.status === 401, `a changed body: ${tampered.status} ${tampered.body}`);
    const first = await deliver(handoff(other));
    const replay = await deliver(handoff(other), { id: first.id });
    assert(
      replay.status === 200 && /duplicate/.test(replay.body),
      `a replay: ${replay.status} ${replay.body}`,
    );
    assert(
      (await waitingNotice()).count === 3,
      "the forged, tampered or replayed deliveries changed the count",
    );
    const assigned = await deliver({
      type: "conversation.assigned",
      timestamp: new Date().toISOString(),
      data: { thread_id: other, staff_id: "stf_e2e" },
    });
    assert(assigned.status === 200, `assigned: ${assigned.status}`);
    const after = await waitingNotice();
    assert(after.count === 2, `after an assignment: "${after.text}"`);
    return `401 for a wrong key and a changed body; the replay is a no-op; "${after.text}"`;
  }, ["the agent's signed handoff webhooks become the admin notice and emails"]);

  await runner.step(
    "no PHP warning or notice from the plugin",
    async () => {
      const lines = site
        .debugLog()
        .split("\n")
        .filter((l) => l.includes("plugins/support-agent"));
      assert(lines.length === 0, lines.slice(0, 5).join("\n"));
      return "debug.log clean for plugins/support-agent";
    },
    activated,
  );
} finally {
  await browser.close();
  await site.stop();
  await stack.stop();
}

console.log(
  `\ntest:wordpress finished in ${((performance.now() - began) / 1000).toFixed(1)} s (${site.cached ? "cached core" : "core unzipped"})`,
);
console.log(runner.summary());
process.exit(runner.results.some((r) => r.status !== "passed") ? 1 : 0);
