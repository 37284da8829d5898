/**
 * The widget's own link check, in Chromium: a reply holding the four outside-link forms of issue 7 (and an
 * outside citation) is played to the widget as if the server had let it through; every form must render as
 * text, with no anchor to another host. The API response is fulfilled by the page's router, so this tests the
 * widget's renderer alone, behind the server's sanitizer. Called by run.ts.
 */
import type { BrowserContext } from "playwright-core";
import { assert, type createRunner } from "./harness.ts";
import type { Stack } from "./stack.ts";

export const OUTSIDE_LINK_FORMS = [
  "[reset](https://evil.example/x",
  "Resethttps://evil.example/x",
  "_https://evil.example/x",
  "x]([https://evil.example/y](javascript:void)",
];

function sse(threadId: string): string {
  const content = OUTSIDE_LINK_FORMS.map((form, i) => `Form ${i + 1}: ${form}`).join("\n\n");
  const message = {
    id: crypto.randomUUID(),
    seq: 2,
    role: "assistant",
    content: `${content}\n\nOur policy: [Returns](https://help.fernhill.example/articles/returns)`,
    citations: [
      { ref: "S1", chunkId: "c1", docId: "d1", title: "Elsewhere", url: "https://evil.example/cite" },
    ],
    meta: { outcome: "answered" },
    createdAt: new Date().toISOString(),
  };
  const events = [
    ["thread", { thread_id: threadId, thread_token: "t".repeat(43) }],
    ["delta", { text: content }],
    ["message", { thread_id: threadId, thread_token: "t".repeat(43), status: "open", message }],
  ] as const;
  return events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join("");
}

export async function checkLinkForms(
  runner: ReturnType<typeof createRunner>,
  context: BrowserContext,
  stack: Stack,
): Promise<void> {
  await runner.step("the four outside-link forms of issue 7 render as text, never as links", async () => {
    const page = await context.newPage();
    try {
      const threadId = crypto.randomUUID();
      await page.route("**/api/agent/messages", (route) =>
        route.request().method() === "POST"
          ? route.fulfill({
              status: 201,
              headers: { "content-type": "text/event-stream" },
              body: sse(threadId),
            })
          : route.continue(),
      );
      await page.goto(`${stack.baseUrl}/`);
      const widget = page.locator("#support-agent");
      await widget.getByRole("button", { name: "Open support chat" }).click();
      const input = widget.getByRole("textbox", { name: "Your message" });
      await input.fill("Please show me the links");
      await input.press("Enter");
      await page.waitForFunction(
        () => (document.getElementById("support-agent")?.shadowRoot?.textContent ?? "").includes("Form 4:"),
        undefined,
        { timeout: 15_000 },
      );
      const found = await page.evaluate(() => {
        const root = document.getElementById("support-agent")?.shadowRoot;
        const anchors = [...(root?.querySelectorAll("a") ?? [])].map((a) => a.getAttribute("href") ?? "");
        return { anchors, text: root?.textContent ?? "" };
      });
      const outside = found.anchors.filter(
        (href) => !/^https:\/\/([a-z0-9-]+\.)*fernhill\.example\//.test(href),
      );
      assert(outside.length === 0, `outside anchors: ${JSON.stringify(outside)}`);
      assert(found.text.includes("Form 1:") && found.text.includes("reset"), "the reply's words are missing");
      assert(
        found.anchors.some((href) => href.startsWith("https://help.fernhill.example/")),
        "the allowed link did not render (the check would pass with links off altogether)",
      );
      return `${OUTSIDE_LINK_FORMS.length} forms and an outside citation shown as text; anchors: ${found.anchors.join(", ")}`;
    } finally {
      await page.close();
    }
  });
}
