/**
 * `npm run test:e2e` (second half): the human handoff in real Chromium against its own local stack. A visitor
 * asks for a person in the widget; Maya signs in to the console, sees it in the inbox (a new handoff appears
 * there live), takes it over and replies; the visitor sees "Maya from … joined." and her reply live with her
 * name; the visitor answers and Maya sees it live, with typing shown; a second person's takeover is refused
 * with Maya's name; Maya releases and the bot answers the next question with a citation; a revoked staff
 * token gets 401. axe-core on the inbox and the conversation, screenshots of both at desktop size, and the
 * staff-send to visitor-display latency over 100 messages (p50/p95). Then an admin (Ada) on the Tools page turns
 * a switch off and on again with the keyboard, and Tabs to the Budgets page's table; axe-core and a screenshot
 * of both, and the JS/CSS they load. Ends with `N passed, N failed`.
 */
import "../../scripts/launcher.ts";
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { runAxe } from "./axe-check.ts";
import { assert, bubbles, createRunner, launchChromium, savedSession, waitForReplies } from "./harness.ts";
import { startStack } from "./stack.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const artifacts = `${root}artifacts/`;
mkdirSync(artifacts, { recursive: true });

const runner = createRunner();
const stack = await startStack((line) => console.log(line));
const base = stack.baseUrl;
const browser = await launchChromium();

/** Runs one of the staff scripts against the stack's database (PGlite runs in this process: never block it). */
async function staffScript(script: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [`${root}scripts/${script}`, ...args], {
      env: { ...process.env, DATABASE_URL: stack.databaseUrl, ...env },
      encoding: "utf8",
    });
    return stdout;
  } catch (error) {
    throw new Error(`${script} failed: ${String(Reflect.get(Object(error), "stderr") ?? error)}`);
  }
}

/** A staff account made the way a shop makes one: `npm run -s staff:add` (its last line is the API token). */
async function makeStaff(name: string, role: "agent" | "admin" = "agent") {
  const email = `${name.toLowerCase()}@fernhill.example`;
  const password = `${name}-console-password-1`;
  const out = await staffScript("staff-add.ts", ["--email", email, "--name", name, "--role", role], {
    STAFF_PASSWORD: password,
  });
  const token = out.trim().split("\n").at(-1) ?? "";
  assert(token.startsWith("sa_staff_"), "staff:add printed no token");
  return { email, name, password, token };
}

const api = (token: string, path: string, body?: unknown) =>
  fetch(`${base}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

try {
  const maya = await makeStaff("Maya");
  const omar = await makeStaff("Omar");
  const visitorContext = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: "en-US",
  });
  const visitor = await visitorContext.newPage();
  const widget = visitor.locator("#support-agent");
  // bypassCSP lets axe-core be injected; the console itself runs under its CSP (script-src 'self').
  const staffContext = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: "en-US",
    bypassCSP: true,
  });
  const staff = await staffContext.newPage();
  let threadId = "";
  let replies = 0;

  const ask = async (text: string) => {
    const input = widget.getByRole("textbox", { name: "Your message" });
    await input.fill(text);
    await input.press("Enter");
    const shown = await waitForReplies(visitor, replies);
    replies = shown.filter((b) => b.kind === "assistant").length;
    return shown.filter((b) => b.kind === "assistant").at(-1)?.text ?? "";
  };

  await runner.step("a visitor asks for a person in the widget", async () => {
    await visitor.goto(`${base}/`);
    await widget.getByRole("button", { name: "Open support chat" }).click();
    const reply = await ask("I'd like to talk to a person, please.");
    threadId = (await savedSession(visitor)).threadId;
    assert(threadId, "no thread id saved");
    return `${threadId}: ${reply.slice(0, 80)}`;
  });

  await runner.step("staff sign in and see it waiting in the inbox; a new handoff appears live", async () => {
    await staff.goto(`${base}/console/sign-in`);
    await staff.getByLabel("Email").fill(maya.email);
    await staff.getByLabel("Password").fill(maya.password);
    await staff.getByRole("button", { name: "Sign in" }).click();
    await staff.waitForURL(`${base}/console`);
    await staff.locator(`#inbox a[href="/console/conversations/${threadId}"]`).waitFor({ timeout: 10_000 });
    // Another visitor asks for a person while the inbox is open: it shows up without a reload.
    const first = (await (
      await fetch(`${base}/api/agent/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message: "Can I speak to a human?" }),
      })
    ).json()) as { thread_id: string; status: string };
    await staff
      .locator(`#inbox a[href="/console/conversations/${first.thread_id}"]`)
      .waitFor({ timeout: 10_000 });
    await staff.screenshot({ path: `${artifacts}console-inbox.png`, fullPage: true });
    return `second handoff ${first.thread_id} (${first.status}) appeared live`;
  }, ["a visitor asks for a person in the widget"]);

  await runner.step(
    "axe-core: the inbox has no serious or critical violations",
    () => runAxe(staff, `${artifacts}axe-console-inbox.json`),
    ["staff sign in and see it waiting in the inbox; a new handoff appears live"],
  );

  const conversation = "Maya takes it over and replies; the visitor sees it live with her name";
  await runner.step(conversation, async () => {
    await staff.locator(`#inbox a[href="/console/conversations/${threadId}"]`).click();
    await staff.getByRole("button", { name: "Take over" }).click();
    await staff.getByRole("button", { name: "Release to the bot" }).waitFor();
    await widget
      .locator(".g > .m.n", { hasText: "Maya from Fernhill Outfitters joined." })
      .waitFor({ timeout: 5000 });
    await staff.getByLabel("Reply to the visitor").fill("Hi, I'm Maya. Which order is it about?");
    await staff.getByRole("button", { name: "Send" }).click();
    const bubble = widget.locator(".g > .m.a", { hasText: "Which order is it about?" });
    await bubble.waitFor({ timeout: 5000 });
    const text = (await bubble.textContent()) ?? "";
    assert(text.startsWith("Maya:"), `the reply does not carry the name: ${text}`);
    return text;
  }, ["staff sign in and see it waiting in the inbox; a new handoff appears live"]);

  await runner.step("the visitor types and answers; Maya sees both live", async () => {
    const input = widget.getByRole("textbox", { name: "Your message" });
    // Maya's page reloaded after her reply: typing is sent to the pages listening now.
    await staff.locator("html[data-live=on]").waitFor({ timeout: 5000 });
    await input.focus();
    await visitor.keyboard.type("It's FH-1002", { delay: 30 });
    await staff.locator("#typing", { hasText: "The visitor is typing" }).waitFor({ timeout: 5000 });
    await visitor.keyboard.type("33, thanks");
    await visitor.keyboard.press("Enter");
    await staff
      .locator("#transcript li.msg.user", { hasText: "It's FH-100233, thanks" })
      .waitFor({ timeout: 5000 });
    // Nothing from the bot while Maya has it.
    await visitor.waitForTimeout(500);
    const last = (await bubbles(visitor)).at(-1);
    assert(last?.kind === "user", `something answered after the visitor: ${JSON.stringify(last)}`);
    await staff.screenshot({ path: `${artifacts}console-conversation.png`, fullPage: true });
    return "typing shown, message appended without a reload";
  }, [conversation]);

  await runner.step(
    "axe-core: the conversation page has no serious or critical violations",
    () => runAxe(staff, `${artifacts}axe-console-conversation.json`),
    [conversation],
  );

  await runner.step("a second staff member's takeover is refused with who owns it", async () => {
    const refused = await api(omar.token, `/api/console/conversations/${threadId}/takeover`, {});
    const body = (await refused.json()) as { error: { code: string; message: string } };
    assert(
      refused.status === 409 && body.error.code === "conflict:owner",
      `${refused.status} ${JSON.stringify(body)}`,
    );
    assert(body.error.message.includes("Maya"), body.error.message);
    return body.error.message;
  }, [conversation]);

  await runner.step("staff-send to visitor-display latency over 100 messages", async () => {
    await visitor.evaluate(() => {
      const seen: Record<string, number> = {};
      Reflect.set(window, "__seen", seen);
      const root = document.getElementById("support-agent")?.shadowRoot;
      new MutationObserver((records) => {
        for (const r of records)
          for (const n of r.addedNodes) {
            const marker = /\[m(\d+)\]/.exec(n.textContent ?? "")?.[1];
            if (marker && !(marker in seen)) seen[marker] = Date.now();
          }
      }).observe(root?.querySelector(".g") ?? document.body, { childList: true, subtree: true });
    });
    const sent: number[] = [];
    for (let i = 0; i < 100; i++) {
      sent.push(Date.now());
      const res = await api(maya.token, `/api/console/conversations/${threadId}/messages`, {
        content: `Update [m${i}]`,
      });
      assert(res.status === 201, `message ${i}: ${res.status}`);
    }
    await visitor.waitForFunction(
      () => Object.keys(Reflect.get(window, "__seen") as object).length >= 100,
      null,
      { timeout: 20_000 },
    );
    const seen = (await visitor.evaluate(() => Reflect.get(window, "__seen"))) as Record<string, number>;
    const latencies = sent.map((t, i) => (seen[String(i)] ?? Number.NaN) - t).sort((a, b) => a - b);
    const figure = { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: latencies.at(-1) };
    writeFileSync(`${artifacts}live-latency.json`, JSON.stringify(figure, null, 2));
    return `p50 ${figure.p50} ms, p95 ${figure.p95} ms, max ${figure.max} ms`;
  }, [conversation]);

  await runner.step("Maya releases; the bot answers the next question with a citation", async () => {
    await staff.reload();
    await staff.getByRole("button", { name: "Release to the bot" }).click();
    await staff.getByRole("button", { name: "Take over" }).waitFor();
    replies = (await bubbles(visitor)).filter((b) => b.kind === "assistant").length;
    const answer = await ask("How long do refunds take?");
    const links = await widget
      .locator(".g > .m.a")
      .last()
      .locator("a")
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    assert(
      links.some((h) => h.startsWith("https://help.fernhill.example/")),
      `no citation link: ${answer}`,
    );
    return `${answer.slice(0, 60)}… cites ${links[0]}`;
  }, [conversation]);

  await runner.step("a revoked staff token gets 401", async () => {
    assert((await api(omar.token, "/api/console/me")).status === 200, "the token did not work before");
    await staffScript("staff-revoke.ts", ["--email", omar.email]);
    const after = await api(omar.token, "/api/console/me");
    assert(after.status === 401, `answered ${after.status}`);
    return "401 unauthorized:staff";
  });
  const ops = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: "en-US",
    bypassCSP: true,
  });
  const admin = await ops.newPage();
  const ada = await makeStaff("Ada", "admin");
  /** Every script and stylesheet the page loads, raw and gzipped (the page's HTML is not counted). */
  const weight = async (target: Page) => {
    const urls = await target.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((e) => ["script", "link", "css"].includes((e as PerformanceResourceTiming).initiatorType))
        .map((e) => e.name),
    );
    const bodies = await Promise.all(
      urls.map(async (u) => Buffer.from(await (await fetch(u)).arrayBuffer())),
    );
    const raw = bodies.reduce((n, b) => n + b.length, 0);
    const gzipped = bodies.reduce((n, b) => n + gzipSync(b).length, 0);
    return `JS+CSS ${urls.length} file(s) ${raw} B (${gzipped} B gzipped)`;
  };

  await runner.step(
    "an admin's Tools page: every tool's switch, breaker and calls; a switch off and on by keyboard",
    async () => {
      await admin.goto(`${base}/console/sign-in`);
      await admin.getByLabel("Email").fill(ada.email);
      await admin.getByLabel("Password").fill(ada.password);
      await admin.getByRole("button", { name: "Sign in" }).click();
      await admin.waitForURL(`${base}/console`);
      await admin.getByRole("link", { name: "Tools" }).click();
      await admin.waitForURL(`${base}/console/tools`);
      for (const tool of ["search_kb", "get_order", "create_ticket", "handoff_human"])
        await admin.getByRole("heading", { name: tool, exact: true }).waitFor();
      await admin.screenshot({ path: `${artifacts}console-tools.png`, fullPage: true });
      const off = admin.getByRole("button", { name: "Turn off create_ticket" });
      await off.focus();
      await admin.keyboard.press("Enter");
      await admin.locator(".notice", { hasText: "tool create_ticket is now off" }).waitFor({ timeout: 5000 });
      const on = admin.getByRole("button", { name: "Turn on create_ticket" });
      await on.focus();
      await admin.keyboard.press("Enter");
      await admin.locator(".notice", { hasText: "tool create_ticket is now on" }).waitFor({ timeout: 5000 });
      const changes = await admin
        .locator("table", { has: admin.locator("caption", { hasText: "Switch changes" }) })
        .locator("tbody tr")
        .count();
      assert(changes === 2, `${changes} audit rows shown`);
      return `off and on by Enter, 2 changes listed; ${await weight(admin)}`;
    },
  );

  await runner.step(
    "axe-core: the Tools page has no serious or critical violations",
    () => runAxe(admin, `${artifacts}axe-console-tools.json`),
    ["an admin's Tools page: every tool's switch, breaker and calls; a switch off and on by keyboard"],
  );

  await runner.step(
    "an admin's Budgets page: the site's caps and each channel's spend, table reachable by Tab",
    async () => {
      await admin.getByRole("link", { name: "Budgets" }).click();
      await admin.waitForURL(`${base}/console/budgets`);
      await admin.getByRole("table", { name: /spend by channel/ }).waitFor();
      await admin.screenshot({ path: `${artifacts}console-budgets.png`, fullPage: true });
      let reached = false;
      for (let i = 0; i < 40 && !reached; i++) {
        await admin.keyboard.press("Tab");
        reached = await admin.evaluate(
          () => document.activeElement?.classList.contains("table-wrap") ?? false,
        );
      }
      assert(reached, "Tab never reached the spend table");
      return `table focused by Tab; ${await weight(admin)}`;
    },
  );

  await runner.step(
    "axe-core: the Budgets page has no serious or critical violations",
    () => runAxe(admin, `${artifacts}axe-console-budgets.json`),
    ["an admin's Budgets page: the site's caps and each channel's spend, table reachable by Tab"],
  );
} finally {
  await browser.close();
  await stack.stop();
  writeFileSync(`${artifacts}e2e-console-results.json`, JSON.stringify(runner.results, null, 2));
  console.log(runner.summary());
}
process.exit(runner.results.every((r) => r.status === "passed") ? 0 : 1);
