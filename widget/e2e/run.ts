/**
 * `npm run test:e2e`: the widget in real Chromium against a running agent (stack.ts). A visitor's path, keyboard
 * only: open the demo shop, open the chat, ask a help-centre question (a streamed answer with a source link),
 * ask about an order with its number and email, rate the answer and find the rating in Postgres, survive a
 * broken stream without duplicates, ask for a person, reload and find the history; then axe-core (no serious or
 * critical violation), screenshots at desktop size and 375 px in artifacts/, a phone (touch at 375 px) tapping
 * the launcher, then Send, with the panel still open, a signed-in visitor continuing on
 * a second device (and nobody else seeing it), and the API's CORS and sign-in rules. Ends with the line
 * `N passed, N failed`; exits 1 on any failure.
 */
import "../../scripts/launcher.ts";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import postgres from "postgres";
import { started } from "../../scripts/lifecycle.ts";
import { checkApiRules } from "./api-checks.ts";
import { runAxe } from "./axe-check.ts";
import {
  assert,
  bubbles,
  createRunner,
  focusedInWidget,
  launchChromium,
  savedSession,
  waitForReplies,
} from "./harness.ts";
import { identityToken } from "./identity-token.ts";
import { checkLinkForms } from "./link-checks.ts";
import { startHostPage, startStack } from "./stack.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const artifacts = `${root}artifacts/`;
mkdirSync(artifacts, { recursive: true });

const runner = createRunner();
let agentBase = "";
// Ctrl-C stops these (newest first) through scripts/lifecycle.ts; the run's own end stops them in `finally`.
const host = await started(
  startHostPage(() => agentBase),
  (h) => h.close(),
);
const stack = await started(
  startStack((line) => console.log(line), [host.url]),
  (s) => s.stop(),
);
agentBase = stack.baseUrl;
const browser = await started(launchChromium(), (b) => b.close());
const context = await browser.newContext({
  viewport: { width: 1280, height: 800 },
  locale: "en-US",
  bypassCSP: true,
});
const page = await context.newPage();
const widget = page.locator("#support-agent");
const launcher = widget.getByRole("button", { name: "Open support chat" });
const input = widget.getByRole("textbox", { name: "Your message" });
const lastReply = () => widget.locator(".g > .m.a:not([aria-busy])").last();
let replies = 0;

async function ask(text: string): Promise<string> {
  await input.focus();
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
  const shown = await waitForReplies(page, replies);
  replies = shown.filter((b) => b.kind === "assistant").length;
  return shown.filter((b) => b.kind === "assistant").at(-1)?.text ?? "";
}

/** Asks on any page with the widget's panel open; the last reply's text. */
async function askOn(target: Page, text: string): Promise<string> {
  const before = (await bubbles(target)).filter((b) => b.kind === "assistant").length;
  const box = target.locator("#support-agent").getByRole("textbox", { name: "Your message" });
  await box.fill(text);
  await box.press("Enter");
  const shown = await waitForReplies(target, before);
  return shown.filter((b) => b.kind === "assistant").at(-1)?.text ?? "";
}

/**
 * One of a visitor's devices: a browser context of its own (empty localStorage) on the shop of another
 * origin, signed in with `token` as the WordPress plugin renders it into the page, or signed out with null.
 */
async function openDevice(token: string | null): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  const device = await ctx.newPage();
  await device.goto(token ? `${host.url}/?identity=${token}` : host.url);
  return device;
}

/** The signed-in visitor's thread ids as the agent lists them, newest first. */
async function listedThreads(token: string): Promise<string[]> {
  const res = await fetch(`${stack.baseUrl}/api/agent/threads`, { headers: { "x-identity-token": token } });
  assert(res.ok, `GET /api/agent/threads answered ${res.status}`);
  const body: unknown = await res.json();
  const threads =
    typeof body === "object" && body && "threads" in body && Array.isArray(body.threads) ? body.threads : [];
  return threads.flatMap((t: unknown) =>
    typeof t === "object" && t && "thread_id" in t && typeof t.thread_id === "string" ? [t.thread_id] : [],
  );
}

/** Polls until `check` holds: the thread list is read from Postgres, written just after a reply. */
async function until(check: () => Promise<boolean>, what: string, timeout = 15_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The number of messages the agent stores for a thread, read with the thread token or the visitor's sign-in. */
async function storedCount(threadId: string, key: { token: string } | { identity: string }): Promise<number> {
  const headers: Record<string, string> =
    "token" in key ? { authorization: `Bearer ${key.token}` } : { "x-identity-token": key.identity };
  const res = await fetch(`${stack.baseUrl}/api/agent/thread/${threadId}?limit=100`, { headers });
  const stored: unknown = await res.json();
  return typeof stored === "object" && stored && "messages" in stored && Array.isArray(stored.messages)
    ? stored.messages.length
    : -1;
}

/** The accessible text of what has focus inside the widget (list items have no aria-label). */
function focusedText(target: Page): Promise<string> {
  return target.evaluate(
    () => document.getElementById("support-agent")?.shadowRoot?.activeElement?.textContent ?? "",
  );
}

try {
  await runner.step("demo page shows the widget", async () => {
    const res = await page.goto(`${stack.baseUrl}/`);
    if (res?.status() === 404) {
      throw new Error(
        'GET / is 404: mount the widget routes in worker/app.ts (app.route("/", widgetRoutes))',
      );
    }
    assert(res?.ok(), `GET / answered ${res?.status()}`);
    await launcher.waitFor({ timeout: 15_000 });
    return await page.title();
  });

  await runner.step("keyboard opens the widget and focuses the composer", async () => {
    for (let i = 0; i < 40 && (await focusedInWidget(page)) !== "button:Open support chat"; i++)
      await page.keyboard.press("Tab");
    assert((await focusedInWidget(page)) === "button:Open support chat", "Tab never reached the launcher");
    await page.keyboard.press("Enter");
    await widget.getByRole("dialog").waitFor({ timeout: 5000 });
    const focused = await focusedInWidget(page);
    assert(focused.startsWith("textarea"), `focus is on ${focused}, not the message box`);
    return "Tab -> launcher, Enter -> dialog, focus in the message box";
  }, ["demo page shows the widget"]);

  const opened = ["keyboard opens the widget and focuses the composer"];
  await runner.step(
    "FAQ question gets a streamed answer with a source link",
    async () => {
      // Streaming shows as a provisional bubble (aria-busy) or the typing row before the final message.
      await page.evaluate(() => {
        const root = document.getElementById("support-agent")?.shadowRoot;
        const seen = { busy: false, typing: false };
        Reflect.set(window, "__streamSeen", seen);
        if (!root) return;
        new MutationObserver(() => {
          if (root.querySelector(".m[aria-busy]")) seen.busy = true;
          if (root.querySelector(".t:not([hidden])")) seen.typing = true;
        }).observe(root, { subtree: true, childList: true, attributes: true });
      });
      const sse = page.waitForResponse(
        (r) => r.url().endsWith("/api/agent/messages") && r.request().method() === "POST",
      );
      const text = await ask("How long do refunds take?");
      const response = await sse;
      assert(
        (response.headers()["content-type"] ?? "").includes("text/event-stream"),
        "the reply was not streamed as SSE",
      );
      const seen = await page.evaluate(() => JSON.stringify(Reflect.get(window, "__streamSeen")));
      const links = await lastReply()
        .locator("a[href^='http']")
        .evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      assert(links.length > 0, `no source link in the answer: "${text.slice(0, 200)}"`);
      // The widget clears the live region and fills it a moment later, so a repeated phrase is heard again.
      await widget
        .locator("[aria-live='polite']")
        .filter({ hasText: /\S{10}/ })
        .waitFor({ state: "attached", timeout: 2_000 })
        .catch(() => {});
      const live = await widget.locator("[aria-live='polite']").textContent();
      assert((live ?? "").length > 10, "the answer was not announced in the live region");
      return `text/event-stream, seen while streaming: ${seen}, links: ${links.join(", ")}`;
    },
    opened,
  );

  await runner.step(
    "order question with number and email shows its status",
    async () => {
      const text = await ask("Where is my order FH-100231? My email is ana.kovac@example.com");
      assert(/FH-100231/.test(text) && /shipped/i.test(text), `unexpected answer: "${text.slice(0, 300)}"`);
      // The private stack has no model configured: replies come from the offline brain, and the widget says
      // where they come from in shoppers' words (never "offline" or "limited mode").
      if (stack.own) {
        await widget
          .getByRole("status")
          .filter({ hasText: "Answers from our help centre" })
          .waitFor({ timeout: 5000 });
        // biome-ignore lint/performance/useDomNodeTextContent: what the shopper sees, as rendered
        const shown = await widget.locator(".r").innerText();
        assert(!/offline|limited mode/i.test(shown), "the widget tells shoppers it is offline or limited");
      }
      return text.slice(0, 120);
    },
    opened,
  );

  await runner.step("thumbs up is stored", async () => {
    const feedback = page.waitForResponse((r) => r.url().endsWith("/api/agent/feedback"));
    const up = lastReply().getByRole("button", { name: "Helpful", exact: true });
    await up.focus();
    await page.keyboard.press("Enter");
    const res = await feedback;
    assert(res.status() === 201, `feedback answered ${res.status()}`);
    await page.waitForFunction(
      () =>
        [
          ...(document
            .getElementById("support-agent")
            ?.shadowRoot?.querySelectorAll(".fb button[aria-pressed='true']") ?? []),
        ].length > 0,
    );
    const { ratings } = await savedSession(page);
    const messageId = Object.keys(ratings).find((id) => ratings[id] === "up");
    assert(messageId, "the rating was not remembered");
    const sql = postgres(stack.databaseUrl, { max: 1 });
    try {
      const rows = await sql`select rating from feedback where message_id = ${messageId}`;
      assert(rows[0]?.rating === "up", `feedback row: ${JSON.stringify(rows)}`);
    } finally {
      await sql.end();
    }
    return `feedback row for ${messageId}`;
  }, ["order question with number and email shows its status"]);

  await runner.step(
    "a broken stream resumes without duplicates",
    async () => {
      const posts: string[] = [];
      let threadReads = 0;
      page.on("request", (r) => {
        if (r.url().endsWith("/api/agent/messages")) posts.push(r.postData() ?? "");
        if (r.url().includes("/api/agent/thread/")) threadReads++;
      });
      let cut = false;
      await page.route("**/api/agent/messages", async (route) => {
        if (cut) return route.continue();
        cut = true;
        const response = await route.fetch();
        const body = await response.text();
        const end = body.indexOf("event: message");
        await route.fulfill({
          status: response.status(),
          headers: response.headers(),
          body: end > 0 ? body.slice(0, end) : "",
        });
      });
      const before = await bubbles(page);
      await ask("Do you ship to Switzerland?");
      await page.unroute("**/api/agent/messages");
      const after = await bubbles(page);
      const added = after.slice(before.length);
      assert(
        added.length === 2 && added[0]?.kind === "user" && added[1]?.kind === "assistant",
        `added: ${JSON.stringify(added)}`,
      );
      const ids = posts.map((p) => /"client_message_id":"([^"]+)"/.exec(p)?.[1]);
      assert(
        posts.length === 2 && ids[0] && ids[0] === ids[1],
        `posts: ${posts.length}, client ids: ${ids.join(",")}`,
      );
      assert(threadReads > 0, "the thread was not re-read after resuming");
      const { threadId, token } = await savedSession(page);
      const count = await storedCount(threadId, { token });
      assert(count === after.length, `server has ${count} messages, widget shows ${after.length}`);
      return `2 POSTs with one client_message_id, ${count} messages on both sides`;
    },
    opened,
  );

  await runner.step(
    "asking for a person shows the handoff state",
    async () => {
      await widget.getByRole("button", { name: "Talk to a person" }).focus();
      await page.keyboard.press("Enter");
      await waitForReplies(page, replies).then((b) => {
        replies = b.filter((x) => x.kind === "assistant").length;
      });
      const banner = widget.getByRole("status").filter({ hasText: "A person from our team" });
      await banner.waitFor({ timeout: 10_000 });
      assert(
        !(await widget.getByRole("button", { name: "Talk to a person" }).isVisible()),
        "the handoff button is still shown",
      );
      return (await banner.textContent()) ?? "";
    },
    opened,
  );

  await runner.step(
    "reload restores the conversation",
    async () => {
      const before = await bubbles(page);
      await page.reload();
      await page.waitForFunction(
        ([n]) =>
          (document
            .getElementById("support-agent")
            ?.shadowRoot?.querySelectorAll(".g > .m:not([data-seq='-1'])").length ?? 0) >= (n ?? 0),
        [before.length],
        { timeout: 15_000 },
      );
      const after = await bubbles(page);
      // Notes can arrive after the handoff (staff notified), so the history may have grown, never changed.
      const same = before.every((b, i) => after[i]?.text === b.text);
      assert(same, `history differs: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
      const { threadId, token } = await savedSession(page);
      const count = await storedCount(threadId, { token });
      assert(count === after.length, `server has ${count} messages, widget shows ${after.length}`);
      return `${after.length} messages back (as stored), panel reopened`;
    },
    opened,
  );

  await runner.step("axe-core: no serious or critical violations (desktop)", async () => {
    if (!(await widget.getByRole("dialog").isVisible())) await launcher.click();
    return runAxe(page, `${artifacts}axe-desktop.json`);
  }, ["demo page shows the widget"]);

  await runner.step("screenshots at desktop size and 375 px", async () => {
    await page.screenshot({ path: `${artifacts}widget-desktop.png` });
    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: `${artifacts}widget-mobile-375.png` });
    return "artifacts/widget-desktop.png, artifacts/widget-mobile-375.png";
  }, ["demo page shows the widget"]);

  await runner.step(
    "axe-core: no serious or critical violations (375 px)",
    () => runAxe(page, `${artifacts}axe-mobile-375.json`),
    ["demo page shows the widget"],
  );

  await runner.step(
    "Escape closes the panel and returns focus to the launcher",
    async () => {
      await page.setViewportSize({ width: 1280, height: 800 });
      await input.focus();
      await page.keyboard.press("Escape");
      assert(!(await widget.getByRole("dialog").isVisible()), "the panel is still open");
      const focused = await focusedInWidget(page);
      assert(focused === "button:Open support chat", `focus is on ${focused}`);
      return undefined;
    },
    opened,
  );

  await runner.step("touch at 375 px: tap the launcher, type, tap Send: the message is sent, the panel stays open", async () => {
    // A phone: touch events, a mobile viewport and the sticky :hover a tap leaves on the launcher.
    const phone = await browser.newContext({
      viewport: { width: 375, height: 812 },
      hasTouch: true,
      isMobile: true,
      locale: "en-US",
      bypassCSP: true,
    });
    try {
      const tab = await phone.newPage();
      await tab.goto(`${stack.baseUrl}/`);
      const chat = tab.locator("#support-agent");
      await chat.getByRole("button", { name: "Open support chat" }).tap();
      const dialog = chat.getByRole("dialog");
      await dialog.waitFor({ state: "visible", timeout: 5000 });
      await chat.getByRole("textbox", { name: "Your message" }).fill("How long do refunds take?");
      const send = chat.getByRole("button", { name: "Send" });
      // What a finger on the Send button's centre hits: the button, not the launcher drawn over the panel.
      const hit = await send.evaluate((button) => {
        const box = button.getBoundingClientRect();
        const root = button.getRootNode();
        const top =
          root instanceof ShadowRoot
            ? root.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2)
            : null;
        return top === button || button.contains(top)
          ? "send"
          : (top?.getAttribute("aria-label") ?? String(top));
      });
      assert(hit === "send", `a tap on Send lands on ${hit}`);
      const before = (await bubbles(tab)).filter((b) => b.kind === "assistant").length;
      await send.tap({ timeout: 5000 });
      const shown = await waitForReplies(tab, before);
      assert(await dialog.isVisible(), "the panel closed after tapping Send");
      const mine = shown.filter((b) => b.kind === "user").map((b) => b.text);
      assert(mine.includes("How long do refunds take?"), `sent: ${JSON.stringify(mine)}`);
      await tab.screenshot({ path: `${artifacts}widget-touch-375.png` });
      return "tapped Send, the message was sent and answered, the panel stayed open; artifacts/widget-touch-375.png";
    } finally {
      await phone.close();
    }
  }, ["demo page shows the widget"]);

  await runner.step("data-lang=de shows the German widget", async () => {
    const german = await context.newPage();
    try {
      await german.goto(`${stack.baseUrl}/?lang=de`);
      await german
        .locator("#support-agent")
        .getByRole("button", { name: "Support-Chat öffnen" })
        .waitFor({ timeout: 10_000 });
      return "launcher labelled 'Support-Chat öffnen'";
    } finally {
      await german.close();
    }
  }, ["demo page shows the widget"]);

  if (stack.own) {
    await runner.step("cross-origin embed: a shop on another origin gets answers", async () => {
      const shop = await context.newPage();
      try {
        await shop.goto(host.url);
        const w = shop.locator("#support-agent");
        await w.getByRole("button", { name: "Open support chat" }).click();
        await w
          .getByRole("textbox", { name: "Your message" })
          .fill("What's the status of order FH-100237? My email is lukas.brandt@example.net");
        await shop.keyboard.press("Enter");
        const shown = await waitForReplies(shop, 0);
        const text = shown.filter((b) => b.kind === "assistant").at(-1)?.text ?? "";
        assert(/FH-100237/.test(text) && /delivered/i.test(text), `answer: "${text.slice(0, 200)}"`);
        return `${host.url} -> ${stack.baseUrl}: ${text.slice(0, 60)}`;
      } finally {
        await shop.close();
      }
    }, ["demo page shows the widget"]);
  }

  if (stack.own) {
    // One WordPress user, new to this run, on two devices; the plugin renders a fresh token into every page.
    const visitor = `e2e-${crypto.randomUUID()}`;
    const signIn = () => identityToken({ sub: visitor });
    const question = "Where is my order FH-100231?";
    let threadA = "";
    let deviceA: Page | null = null;
    let deviceB: Page | null = null;

    await runner.step("signed in on device A: an order question needs no email", async () => {
      deviceA = await openDevice(await signIn());
      const listed = deviceA.waitForResponse((r) => r.url().endsWith("/api/agent/threads"));
      await deviceA.locator("#support-agent").getByRole("button", { name: "Open support chat" }).click();
      assert((await listed).status() === 200, "the widget did not list the visitor's threads");
      // The token's display name (identity-token.ts), shown once the agent accepted the sign-in.
      const who = deviceA.locator("#support-agent").getByText("Signed in as Ana Kovač");
      await who.waitFor({ timeout: 5000 });
      const text = await askOn(deviceA, question);
      assert(/FH-100231/.test(text) && /shipped/i.test(text), `answer: "${text.slice(0, 200)}"`);
      const saved = await savedSession(deviceA);
      assert(saved.threadId && saved.token, "device A did not keep its thread and token");
      threadA = saved.threadId;
      const token = await signIn();
      await until(async () => (await listedThreads(token)).includes(threadA), "the thread to be listed");
      return `thread ${threadA}: ${text.slice(0, 60)}`;
    }, ["demo page shows the widget"]);

    const onA = ["signed in on device A: an order question needs no email"];
    await runner.step(
      "device B (empty storage, new sign-in) restores the conversation and continues it",
      async () => {
        if (!deviceA) throw new Error("no device A");
        const historyA = await bubbles(deviceA);
        const token = await signIn();
        deviceB = await openDevice(token);
        const w = deviceB.locator("#support-agent");
        await w.getByRole("button", { name: "Open support chat" }).click();
        await deviceB.waitForFunction(
          ([n]) =>
            (document
              .getElementById("support-agent")
              ?.shadowRoot?.querySelectorAll(".g > .m:not([data-seq='-1'])").length ?? 0) >= (n ?? 0),
          [historyA.length],
          { timeout: 15_000 },
        );
        const restored = await bubbles(deviceB);
        assert(
          historyA.every((b, i) => restored[i]?.text === b.text),
          `device A shows ${JSON.stringify(historyA)}, device B ${JSON.stringify(restored)}`,
        );
        const saved = await savedSession(deviceB);
        assert(saved.threadId === threadA && !saved.token, `device B stored ${JSON.stringify(saved)}`);
        assert(
          !(await w.getByRole("button", { name: "Earlier conversations" }).isVisible()),
          "one conversation, yet the list of earlier ones is offered",
        );

        const sent: Record<string, string>[] = [];
        deviceB.on("request", (r) => {
          if (r.url().endsWith("/api/agent/messages")) sent.push(r.headers());
        });
        const reply = await askOn(deviceB, "Thanks! How do I return something that doesn't fit?");
        assert(
          sent.length > 0 && sent.every((h) => h["x-identity-token"] && !h.authorization),
          `device B sent ${JSON.stringify(sent.map((h) => Object.keys(h)))}`,
        );
        const shownB = await bubbles(deviceB);
        const stored = await storedCount(threadA, { identity: await signIn() });
        assert(stored === shownB.length, `server has ${stored} messages, device B shows ${shownB.length}`);
        // Device A, with its thread token, sees the continuation after a reload.
        await deviceA.reload();
        await deviceA.waitForFunction(
          ([n]) =>
            (document
              .getElementById("support-agent")
              ?.shadowRoot?.querySelectorAll(".g > .m:not([data-seq='-1'])").length ?? 0) >= (n ?? 0),
          [shownB.length],
          { timeout: 15_000 },
        );
        const said = reply.slice(0, 50);
        return `${restored.length} messages restored, continued by sign-in (${stored} stored): ${said}`;
      },
      onA,
    );

    await runner.step(
      "a different signed-in user does not see it",
      async () => {
        const stranger = await identityToken({
          sub: `e2e-${crypto.randomUUID()}`,
          email: "lukas.brandt@example.net",
        });
        const deviceC = await openDevice(stranger);
        try {
          const listed = deviceC.waitForResponse((r) => r.url().endsWith("/api/agent/threads"));
          const w = deviceC.locator("#support-agent");
          await w.getByRole("button", { name: "Open support chat" }).click();
          const body = await (await listed).text();
          assert(!body.includes(threadA), "the stranger's list includes the thread");
          await deviceC.waitForTimeout(1000);
          const shown = await bubbles(deviceC);
          assert(shown.length === 0, `the stranger sees ${JSON.stringify(shown)}`);
          assert(!(await savedSession(deviceC)).threadId, "the stranger's widget stored a thread");
          assert(
            !(await w.getByRole("button", { name: "Earlier conversations" }).isVisible()),
            "the stranger is offered earlier conversations",
          );
          const direct = await storedCount(threadA, { identity: stranger });
          assert(direct === -1, "the stranger's sign-in opens the thread over the API");
          return "empty conversation, no list, the thread is 404 to their sign-in";
        } finally {
          await deviceC.close();
        }
      },
      onA,
    );

    await runner.step("signed out on device B, the conversation is not shown", async () => {
      if (!deviceB) throw new Error("no device B");
      const lists: string[] = [];
      deviceB.on("request", (r) => {
        if (r.url().endsWith("/api/agent/threads")) lists.push(r.url());
      });
      await deviceB.goto(host.url);
      // The panel was open, so it opens again by itself.
      await deviceB.locator("#support-agent").getByRole("dialog").waitFor({ timeout: 10_000 });
      await deviceB.waitForTimeout(1000);
      const shown = await bubbles(deviceB);
      assert(shown.length === 0, `signed out, device B shows ${JSON.stringify(shown)}`);
      assert(lists.length === 0, "signed out, the widget still asked for the thread list");
      assert(
        !(await deviceB
          .locator("#support-agent")
          .getByText(/Signed in as/)
          .isVisible()),
        "signed out, the widget still says signed in",
      );
      assert(!(await savedSession(deviceB)).threadId, "the thread stayed in localStorage after signing out");
      return "no list request, nothing shown, nothing stored";
    }, ["device B (empty storage, new sign-in) restores the conversation and continues it"]);

    await runner.step("earlier conversations: a keyboard-navigable list switches threads and starts a new one", async () => {
      if (!deviceB) throw new Error("no device B");
      const token = await signIn();
      // A second conversation, opened on some other device a moment later.
      const other = await fetch(`${stack.baseUrl}/api/agent/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-identity-token": token },
        body: JSON.stringify({ message: "Do you ship to Switzerland?" }),
      });
      assert(other.status === 201, `opening a second thread answered ${other.status}`);
      let listed: string[] = [];
      await until(async () => {
        listed = await listedThreads(token);
        return listed.length === 2;
      }, "two listed threads");
      const [newest, older] = listed;

      await deviceB.goto(`${host.url}/?identity=${await signIn()}`);
      const w = deviceB.locator("#support-agent");
      const toggle = w.getByRole("button", { name: "Earlier conversations" });
      await toggle.waitFor({ timeout: 15_000 });
      assert((await savedSession(deviceB)).threadId === newest, "the newest thread was not restored");

      await toggle.focus();
      await deviceB.keyboard.press("Enter");
      assert((await toggle.getAttribute("aria-expanded")) === "true", "Enter did not expand the list");
      const items = w.getByRole("list", { name: "Earlier conversations" }).getByRole("button");
      assert((await items.count()) === 2, `${await items.count()} items in the list`);
      assert(
        (await items.first().getAttribute("aria-current")) === "true",
        "the thread shown is not marked current",
      );
      const axe = await runAxe(deviceB, `${artifacts}axe-earlier-conversations.json`);
      await deviceB.screenshot({ path: `${artifacts}widget-earlier-conversations.png` });
      await deviceB.keyboard.press("ArrowDown");
      await deviceB.keyboard.press("ArrowDown");
      const label = await focusedText(deviceB);
      assert(
        label === (await items.nth(1).textContent()),
        `ArrowDown reached "${label}", not the second item`,
      );
      await deviceB.keyboard.press("Enter");
      await deviceB.waitForFunction(
        (q) =>
          [
            ...(document.getElementById("support-agent")?.shadowRoot?.querySelectorAll(".g > .m.u") ?? []),
          ].some((n) => n.textContent?.includes(q)),
        question,
        { timeout: 15_000 },
      );
      const switched = await bubbles(deviceB);
      assert(
        !switched.some((b) => b.text.includes("Switzerland")),
        `the other thread is still shown: ${JSON.stringify(switched)}`,
      );
      assert((await savedSession(deviceB)).threadId === older, "the chosen thread was not remembered");

      await toggle.focus();
      await deviceB.keyboard.press("Enter");
      await deviceB.keyboard.press("End");
      assert((await focusedText(deviceB)) === "New conversation", "End did not reach New conversation");
      await deviceB.keyboard.press("Enter");
      await deviceB.waitForFunction(
        () =>
          (document
            .getElementById("support-agent")
            ?.shadowRoot?.querySelectorAll(".g > .m:not([data-seq='-1'])").length ?? -1) === 0,
      );
      await askOn(deviceB, "Hello!");
      const fresh = await savedSession(deviceB);
      assert(
        fresh.threadId && fresh.token && fresh.threadId !== newest && fresh.threadId !== older,
        `after New conversation: ${JSON.stringify(fresh)}`,
      );
      return `restored the newest, switched by keyboard, new thread ${fresh.threadId}; axe: ${axe}`;
    }, ["device B (empty storage, new sign-in) restores the conversation and continues it"]);
  }

  await checkLinkForms(runner, context, stack);
  await checkApiRules(runner, stack);
} finally {
  await browser.close();
  await host.close();
  await stack.stop();
  writeFileSync(`${artifacts}e2e-results.json`, JSON.stringify(runner.results, null, 2));
  console.log(runner.summary());
}
process.exit(runner.results.every((r) => r.status === "passed") ? 0 : 1);
