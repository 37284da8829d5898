import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { composeReply } from "./compose.ts";
import { parseInbound, replyTokenOf } from "./inbound.ts";
import { stripQuotedHistory } from "./quoted.ts";

const AUTHSERV = "mx.cloudflare.net";

function rawEmail(headers: Record<string, string>, body: string): string {
  const base: Record<string, string> = {
    From: "Ana Kovac <Ana.Kovac@example.com>",
    To: "support@fernhill.example",
    Subject: "Refund question",
    "Message-ID": "<m1@example.com>",
    Date: "Wed, 02 Dec 2026 09:00:00 +0000",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=utf-8",
    ...headers,
  };
  return `${Object.entries(base)
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `${k}: ${v}`)
    .join("\r\n")}\r\n\r\n${body}`;
}

describe("parseInbound", () => {
  it("keeps only the new text and notes attachments without their content", async () => {
    const raw = [
      "From: Ana <ana@example.com>",
      "To: support+t_abcdefghijklmnop1234@fernhill.example",
      "Subject: Re: Refund question",
      "Message-ID: <m2@example.com>",
      "In-Reply-To: <reply-1@fernhill.example>",
      "References: <m1@example.com> <reply-1@fernhill.example>",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "And to the UK?",
      "",
      "On Wed, 2 Dec 2026 at 09:01, Fernhill Outfitters <support@fernhill.example> wrote:",
      "> Refunds take 5-10 days.",
      "",
      "--b1",
      'Content-Type: application/pdf; name="receipt.pdf"',
      'Content-Disposition: attachment; filename="receipt.pdf"',
      "Content-Transfer-Encoding: base64",
      "",
      "SGVsbG8gd29ybGQ=",
      "--b1--",
      "",
    ].join("\r\n");
    const email = await parseInbound(raw, AUTHSERV);
    expect(email.text).toBe("And to the UK?");
    expect(email.from).toBe("ana@example.com");
    expect(email.answers).toEqual(["<reply-1@fernhill.example>", "<m1@example.com>"]);
    expect(email.replyToken).toBe("abcdefghijklmnop1234");
    expect(email.attachments).toEqual([{ filename: "receipt.pdf", mimeType: "application/pdf", bytes: 11 }]);
    expect(email.automated).toBeNull();
  });

  it.each([
    [{ "Auto-Submitted": "auto-replied" }, "auto_submitted"],
    [{ Precedence: "bulk" }, "precedence"],
    [{ "List-Id": "<news.example.com>" }, "list"],
    [{ From: "MAILER-DAEMON@mx.example.com" }, "bounce"],
    [{ "Return-Path": "<>" }, "bounce"],
    [{ "Content-Type": 'multipart/report; report-type=delivery-status; boundary="x"' }, "report"],
    [{ "Auto-Submitted": "no" }, null],
  ])("tells machines from people: %o -> %s", async (headers, reason) => {
    const email = await parseInbound(rawEmail(headers, "Out of office until Monday."), AUTHSERV);
    expect(email.automated).toBe(reason);
  });

  it("believes From only when the platform's DMARC result passed for that domain", async () => {
    const pass = `${AUTHSERV}; spf=pass smtp.mailfrom=example.com; dmarc=pass header.from=example.com`;
    const check = async (ar: string | string[], trusted: string | null = AUTHSERV) => {
      const lines = (Array.isArray(ar) ? ar : [ar]).map((v) => `Authentication-Results: ${v}\r\n`).join("");
      return (await parseInbound(lines + rawEmail({}, "Where is my order?"), trusted)).dmarcPass;
    };
    expect(await check(pass)).toBe(true);
    expect(await check(`${AUTHSERV}; dmarc=fail header.from=example.com`)).toBe(false);
    expect(await check(`${AUTHSERV}; dmarc=pass header.from=other.example`)).toBe(false);
    // A header the sender wrote themselves names another authserv-id.
    expect(await check("evil.example; dmarc=pass header.from=example.com")).toBe(false);
    expect(await check([`${AUTHSERV}; dmarc=none header.from=example.com`])).toBe(false);
    // The platform's own verdict sits on top; a forged pass below it, naming the platform, does not count.
    expect(await check([`${AUTHSERV}; dmarc=fail header.from=example.com`, pass])).toBe(false);
    expect((await parseInbound(rawEmail({}, "hi"), AUTHSERV)).dmarcPass).toBe(false);
  });

  it("reads the reply token only from the plus part of an address", () => {
    expect(replyTokenOf("support+t_0123456789abcdef@fernhill.example")).toBe("0123456789abcdef");
    expect(replyTokenOf("support@fernhill.example")).toBeNull();
    expect(replyTokenOf("support+t_short@fernhill.example")).toBeNull();
  });
});

describe("stripQuotedHistory", () => {
  it("drops quotes, forwarded history and signatures", () => {
    expect(stripQuotedHistory("Thanks!\n\n-- \nAna Kovac\nCEO")).toBe("Thanks!");
    expect(stripQuotedHistory("Yes please\r\nSent from my iPhone")).toBe("Yes please");
    expect(stripQuotedHistory("Ok\n-----Original Message-----\nFrom: x\nold")).toBe("Ok");
    expect(stripQuotedHistory("> quoted\nmine")).toBe("mine");
    expect(stripQuotedHistory("Am 2. Dez. 2026 schrieb Fernhill <s@f.example>:\n> alt")).toBe("");
  });
});

describe("composeReply", () => {
  it("threads, links the citations and carries a plain-text part", async () => {
    const raw = composeReply({
      from: { name: "Fernhill Outfitters", address: "support@fernhill.example" },
      to: "ana@example.com",
      replyTo: "support+t_abcdefghijklmnop1234@fernhill.example",
      subject: "Refund question",
      text: "Refunds take 5-10 days <script>. (See: [Refund timing](https://help.fernhill.example/articles/refund-timing))",
      citations: [
        {
          ref: "1",
          chunkId: "c1",
          docId: "d1",
          title: "Refund timing",
          url: "https://help.fernhill.example/articles/refund-timing",
        },
      ],
      messageId: "<reply-1@fernhill.example>",
      inReplyTo: "<m1@example.com>",
      references: [],
      date: new Date("2026-12-02T09:00:00Z"),
    });
    const parsed = await PostalMime.parse(raw);
    expect(parsed.subject).toBe("Re: Refund question");
    expect(parsed.messageId).toBe("<reply-1@fernhill.example>");
    expect(parsed.inReplyTo).toBe("<m1@example.com>");
    expect(parsed.references).toBe("<m1@example.com>");
    expect(parsed.replyTo?.[0]?.address).toBe("support+t_abcdefghijklmnop1234@fernhill.example");
    expect(parsed.headers.find((h) => h.key === "auto-submitted")?.value).toBe("auto-replied");
    expect(parsed.text).toContain("Refund timing <https://help.fernhill.example/articles/refund-timing>");
    expect(parsed.text).toContain(
      "Sources:\n- Refund timing: https://help.fernhill.example/articles/refund-timing",
    );
    expect(parsed.html).toContain(
      '<a href="https://help.fernhill.example/articles/refund-timing">Refund timing</a>',
    );
    expect(parsed.html).not.toContain("<script>");
  });
});
