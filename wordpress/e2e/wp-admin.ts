/**
 * What a site owner does in wp-admin, done in Chromium: signing in, uploading and activating a plugin zip,
 * saving a settings form, creating pages and users (through WordPress's REST API with the signed-in cookie
 * and a REST nonce, as the block editor does). Used by run.ts.
 */
import type { Page } from "playwright-core";
import { assert } from "../../widget/e2e/harness.ts";

export async function signIn(page: Page, base: string, user: string, password: string): Promise<void> {
  await page.goto(`${base}/wp-login.php`);
  await page.fill("#user_login", user);
  await page.fill("#user_pass", password);
  await Promise.all([page.waitForURL(/\/wp-admin\//), page.click("#wp-submit")]);
}

/** Plugins > Add New > Upload Plugin, then "Activate Plugin"; the Plugins screen's notice as proof. */
export async function uploadAndActivate(page: Page, base: string, zipPath: string): Promise<string> {
  await page.goto(`${base}/wp-admin/plugin-install.php?tab=upload`);
  await page.setInputFiles("#pluginzip", zipPath);
  await Promise.all([
    page.waitForURL(/update\.php\?action=upload-plugin/),
    page.click("#install-plugin-submit"),
  ]);
  const installed = ((await page.locator("#wpbody-content").textContent()) ?? "").replace(/\s+/g, " ");
  assert(/Plugin installed successfully/.test(installed), `upload: ${installed.slice(0, 300)}`);
  await Promise.all([
    page.waitForURL(/plugins\.php/),
    page.getByRole("link", { name: "Activate Plugin" }).click(),
  ]);
  // The notice's own text, without its "Dismiss this notice." button.
  const notice = ((await page.locator("#message p, .notice p").first().textContent()) ?? "").trim();
  assert(/Plugin activated/.test(notice), `activate: ${notice}`);
  return notice;
}

/** Submits the settings form on the current page and returns the notices WordPress shows after it. */
export async function saveSettings(page: Page): Promise<string> {
  await Promise.all([page.waitForURL(/settings-updated=true|options\.php/), page.click("#submit")]);
  return (
    await page.locator("#setting-error-settings_updated p, .notice p, .error p").allTextContents()
  ).join(" | ");
}

/** A REST request as the signed-in user (cookie + nonce from admin-ajax's rest-nonce action). */
export async function restAsUser<T>(page: Page, route: string, body: unknown): Promise<T> {
  return page.evaluate(
    async ([path, payload]) => {
      const nonce = await (await fetch("/wp-admin/admin-ajax.php?action=rest-nonce")).text();
      const res = await fetch(`/index.php?rest_route=${encodeURIComponent(path as string)}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-wp-nonce": nonce },
        body: JSON.stringify(payload),
      });
      const json: unknown = await res.json();
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
      return json;
    },
    [route, body] as const,
  ) as Promise<T>;
}

/** Clicks "Test connection" and waits for its answer: the result's code and text. */
export async function testConnection(page: Page, base: string): Promise<{ code: string; text: string }> {
  await page.goto(`${base}/wp-admin/options-general.php?page=support-agent`);
  const result = page.locator("#support-agent-test-result");
  await page.getByRole("button", { name: "Test connection" }).click();
  await page.waitForFunction(
    () => document.getElementById("support-agent-test-result")?.hasAttribute("data-code") === true,
    undefined,
    { timeout: 20_000 },
  );
  return {
    code: (await result.getAttribute("data-code")) ?? "",
    text: ((await result.textContent()) ?? "").trim(),
  };
}
