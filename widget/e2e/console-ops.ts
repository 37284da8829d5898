/**
 * `npm run test:e2e` (third part): the console's Knowledge and Evals pages in real Chromium against their own
 * local stack, signed in as an admin made with `staff:add --role admin`. A visitor rates an answer down so the
 * unanswered list has a row; the retrieval tester runs from its form; an eval run is started from its button
 * and its scores appear. axe-core on both pages, desktop screenshots, keyboard-only reach of the data tables,
 * and each page's weight (HTML, CSS, JS; gzipped) into artifacts/console-ops-weight.json. Ends with
 * `N passed, N failed`.
 */
import "../../scripts/launcher.ts";
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { runAxe } from "./axe-check.ts";
import { assert, createRunner, launchChromium } from "./harness.ts";
import { startStack } from "./stack.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const artifacts = `${root}artifacts/`;
mkdirSync(artifacts, { recursive: true });

const runner = createRunner();
const stack = await startStack((line) => console.log(line));
const base = stack.baseUrl;
const browser = await launchChromium();
const weights: Record<string, { html: number; htmlGzip: number; css: number; cssGzip: number; js: number }> =
  {};

/** Tabs from the top of the page until `selector` has focus; how many presses it took. */
async function tabTo(page: Page, selector: string, fromTop: boolean, limit = 80): Promise<number> {
  if (fromTop) await page.reload();
  for (let i = 1; i <= limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i;
  }
  throw new Error(`${selector} not reached with ${limit} Tab presses`);
}

/** What the page costs a browser: its HTML and every stylesheet and script it loads (no caching). */
async function weigh(page: Page, label: string): Promise<string> {
  const html = await page.content();
  const urls = await page.evaluate(() => ({
    css: [...document.querySelectorAll<HTMLLinkElement>("link[rel=stylesheet]")].map((l) => l.href),
    js: [...document.querySelectorAll<HTMLScriptElement>("script[src]")].map((s) => s.src),
  }));
  const bodies = async (list: string[]) =>
    Promise.all(list.map(async (u) => Buffer.from(await (await fetch(u)).arrayBuffer())));
  const css = Buffer.concat(await bodies(urls.css));
  const js = Buffer.concat(await bodies(urls.js));
  const inline = await page.locator("script:not([src])").count();
  assert(inline === 0, `${inline} inline scripts`);
  weights[label] = {
    html: Buffer.byteLength(html),
    htmlGzip: gzipSync(html).length,
    css: css.length,
    cssGzip: gzipSync(css).length,
    js: js.length,
  };
  const w = weights[label];
  return `HTML ${w?.html} B (${w?.htmlGzip} gz), CSS ${w?.css} B (${w?.cssGzip} gz), JS ${w?.js} B`;
}

try {
  const email = "ines@fernhill.example";
  const password = "Ines-console-password-1";
  await promisify(execFile)(
    process.execPath,
    [`${root}scripts/staff-add.ts`, "--email", email, "--name", "Ines", "--role", "admin"],
    { env: { ...process.env, DATABASE_URL: stack.databaseUrl, STAFF_PASSWORD: password }, encoding: "utf8" },
  );
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: "en-US",
    bypassCSP: true,
  });
  const page = await context.newPage();

  await runner.step("a visitor rates an answer down; the admin signs in", async () => {
    const asked = (await (
      await fetch(`${base}/api/agent/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message: "Do you rent out canoes for the weekend?" }),
      })
    ).json()) as { thread_id: string; thread_token: string; message: { id: string } };
    const rated = await fetch(`${base}/api/agent/feedback`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${asked.thread_token}` },
      body: JSON.stringify({ thread_id: asked.thread_id, message_id: asked.message.id, rating: "down" }),
    });
    assert(rated.status === 201, `feedback answered ${rated.status}`);
    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${base}/console`);
    return asked.thread_id;
  });
  const signedIn = ["a visitor rates an answer down; the admin signs in"];

  const tester = "Knowledge: sources, the tester from its form and the unanswered question";
  await runner.step(
    tester,
    async () => {
      await page.getByRole("link", { name: "Knowledge" }).click();
      await page.waitForURL(`${base}/console/knowledge`);
      await page.getByRole("searchbox", { name: "Question" }).fill("How long do refunds take?");
      await page.getByRole("button", { name: "Search" }).click();
      await page.locator("#tester-caption").waitFor();
      const marks = await page
        .locator("section[aria-labelledby=tester-caption] tbody td:nth-child(2)")
        .allTextContents();
      assert(marks.length === 8, `${marks.length} rows`);
      assert(marks.filter((m) => m === "Used").length === 3, marks.join(","));
      const row = page.locator("section[aria-labelledby=unanswered-caption] tbody tr", {
        hasText: "Do you rent out canoes for the weekend?",
      });
      await row.waitFor({ timeout: 5000 });
      await page.screenshot({ path: `${artifacts}console-knowledge.png`, fullPage: true });
      return `${marks.join(", ")}; unanswered: ${(await row.textContent())?.slice(0, 80)}`;
    },
    signedIn,
  );

  await runner.step("Knowledge: keyboard reaches the tester form and its results table", async () => {
    const toInput = await tabTo(page, "#q", true);
    const toTable = await tabTo(page, "section[aria-labelledby=tester-caption]", false);
    return `question field after ${toInput} Tab presses from the top, results table ${toTable} more`;
  }, [tester]);

  // Weighed before axe-core is injected (its script tag would count).
  await runner.step("weight of the Knowledge page", () => weigh(page, "knowledge"), [tester]);
  await runner.step(
    "axe-core: the Knowledge page has no serious or critical violations",
    () => runAxe(page, `${artifacts}axe-console-knowledge.json`),
    [tester],
  );

  const evals = "Evals: a run started from its button finishes and shows its scores";
  await runner.step(
    evals,
    async () => {
      await page.getByRole("link", { name: "Evals" }).click();
      await page.getByRole("button", { name: "Run the evals" }).click();
      await page.locator(".notice", { hasText: "queued" }).waitFor();
      const until = Date.now() + 180_000;
      for (;;) {
        const status = await page
          .locator("section[aria-labelledby=runs-caption] tbody tr")
          .first()
          .locator("td")
          .nth(1)
          .textContent();
        if (status === "succeeded") break;
        assert(!status?.startsWith("failed"), `the run ${status}`);
        assert(Date.now() < until, `still ${status} after 3 minutes`);
        await page.waitForTimeout(2000);
        await page.goto(`${base}/console/evals`);
      }
      const cells = await page
        .locator("section[aria-labelledby=runs-caption] tbody tr")
        .first()
        .locator("td")
        .allTextContents();
      await page.screenshot({ path: `${artifacts}console-evals.png`, fullPage: true });
      return cells.join(" | ");
    },
    signedIn,
  );

  await runner.step("Evals: keyboard reaches the run button and the runs table", async () => {
    const toButton = await tabTo(page, "form[action='/console/evals/run'] button", true);
    const toTable = await tabTo(page, "section[aria-labelledby=runs-caption]", false);
    return `run button after ${toButton} Tab presses from the top, runs table ${toTable} more`;
  }, [evals]);

  // Weighed before axe-core is injected (its script tag would count).
  await runner.step("weight of the Evals page", () => weigh(page, "evals"), [evals]);
  await runner.step(
    "axe-core: the Evals page has no serious or critical violations",
    () => runAxe(page, `${artifacts}axe-console-evals.json`),
    [evals],
  );
} finally {
  await browser.close();
  await stack.stop();
  writeFileSync(`${artifacts}console-ops-weight.json`, JSON.stringify(weights, null, 2));
  writeFileSync(`${artifacts}e2e-console-ops-results.json`, JSON.stringify(runner.results, null, 2));
  console.log(runner.summary());
}
process.exit(runner.results.every((r) => r.status === "passed") ? 0 : 1);
