/**
 * The browser tests' small runner and helpers: named steps that run in order (a step whose prerequisite failed
 * is skipped, not run into a confusing second failure), a closing `N passed, N failed` line CI can read, the
 * Chromium launch (Debian's package, never a downloaded browser), and reads of the widget's Shadow DOM.
 * Used by run.ts.
 */
import { type Browser, chromium, type Page } from "playwright-core";
import { step as haltWhenStopping } from "../../scripts/lifecycle.ts";
import { DEVICE_STORAGE_KEY } from "../session.ts";

export interface StepResult {
  name: string;
  status: "passed" | "failed" | "skipped";
  ms: number;
  detail: string;
}

export function createRunner() {
  const results: StepResult[] = [];
  const passed = new Set<string>();
  return {
    results,
    async step(name: string, fn: () => Promise<string | undefined>, needs: string[] = []): Promise<boolean> {
      const missing = needs.filter((n) => !passed.has(n));
      if (missing.length > 0) {
        results.push({ name, status: "skipped", ms: 0, detail: `needs: ${missing.join(", ")}` });
        console.log(`- ${name} (skipped: needs ${missing.join(", ")})`);
        return false;
      }
      const started = performance.now();
      try {
        // After Ctrl-C the step halts while the stack stops, instead of failing against a stopped agent.
        const detail = (await haltWhenStopping(fn())) ?? "";
        const ms = Math.round(performance.now() - started);
        results.push({ name, status: "passed", ms, detail });
        passed.add(name);
        console.log(`✓ ${name} (${ms} ms)${detail ? `: ${detail}` : ""}`);
        return true;
      } catch (error) {
        const ms = Math.round(performance.now() - started);
        const detail =
          error instanceof Error ? error.message.split("\n").slice(0, 6).join("\n  ") : String(error);
        results.push({ name, status: "failed", ms, detail });
        console.log(`✗ ${name} (${ms} ms)\n  ${detail}`);
        return false;
      }
    },
    summary(): string {
      const count = (s: StepResult["status"]) => results.filter((r) => r.status === s).length;
      const skipped = count("skipped");
      return `${count("passed")} passed, ${count("failed") + skipped} failed${skipped ? ` (${skipped} skipped)` : ""}`;
    },
  };
}

/** TOOLCHAIN.md: Debian's chromium as root, headless; Playwright gives every launch a fresh profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    // The launcher's own handlers (scripts/lifecycle.ts) close the browser with everything else; Playwright's
    // would exit the process before the agent's stack is stopped.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

export interface Bubble {
  kind: "user" | "assistant" | "note";
  text: string;
  pending: boolean;
}

/** The conversation as shown, greeting excluded, with the screen-reader speaker prefix removed. */
export function bubbles(page: Page): Promise<Bubble[]> {
  return page.evaluate(() => {
    const root = document.getElementById("support-agent")?.shadowRoot;
    const nodes = [...(root?.querySelectorAll<HTMLElement>(".g > .m") ?? [])];
    return nodes
      .filter((n) => n.dataset.seq !== "-1" && !n.hasAttribute("aria-busy"))
      .map((n) => {
        const clone = n.cloneNode(true);
        if (clone instanceof HTMLElement)
          for (const sr of clone.querySelectorAll(".fb, :scope > .sr")) sr.remove();
        return {
          kind: n.classList.contains("u")
            ? ("user" as const)
            : n.classList.contains("n")
              ? ("note" as const)
              : ("assistant" as const),
          text: (clone.textContent ?? "").replace(/\s+/g, " ").trim(),
          pending: n.classList.contains("q"),
        };
      });
  });
}

/** What has keyboard focus inside the widget: tag and accessible label. */
export function focusedInWidget(page: Page): Promise<string> {
  return page.evaluate(() => {
    const host = document.activeElement;
    if (host?.id !== "support-agent") return `outside:${host?.tagName ?? "none"}`;
    const inner = host.shadowRoot?.activeElement;
    return inner ? `${inner.tagName.toLowerCase()}:${inner.getAttribute("aria-label") ?? ""}` : "host";
  });
}

/** Waits until the conversation has `count` more finished assistant replies than `before`. */
export async function waitForReplies(
  page: Page,
  before: number,
  count = 1,
  timeout = 30_000,
): Promise<Bubble[]> {
  await page.waitForFunction(
    ([n]) => {
      const root = document.getElementById("support-agent")?.shadowRoot;
      return (
        (root?.querySelectorAll(".g > .m.a:not([aria-busy]):not([data-seq='-1'])").length ?? 0) >= (n ?? 0)
      );
    },
    [before + count],
    { timeout },
  );
  return bubbles(page);
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** The widget's saved session in localStorage (thread id, token, ratings). */
export async function savedSession(
  page: Page,
): Promise<{ threadId: string; token: string; ratings: Record<string, string> }> {
  // The device id's key shares the prefix but holds a plain string, not the session.
  const raw = await page.evaluate((deviceKey) => {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key?.startsWith("support-agent:") && key !== deviceKey) return localStorage.getItem(key);
    }
    return null;
  }, DEVICE_STORAGE_KEY);
  const parsed: unknown = raw ? JSON.parse(raw) : null;
  if (typeof parsed !== "object" || parsed === null) throw new Error("no saved session");
  const threadId = "threadId" in parsed && typeof parsed.threadId === "string" ? parsed.threadId : "";
  const token = "token" in parsed && typeof parsed.token === "string" ? parsed.token : "";
  const ratings: Record<string, string> = {};
  if ("ratings" in parsed && typeof parsed.ratings === "object" && parsed.ratings !== null) {
    for (const [k, v] of Object.entries(parsed.ratings)) if (typeof v === "string") ratings[k] = v;
  }
  return { threadId, token, ratings };
}
