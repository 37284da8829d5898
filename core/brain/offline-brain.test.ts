import { describe, expect, it } from "vitest";
import type { BrainInput, Decision } from "./brain.ts";
import { createOfflineBrain } from "./offline-brain.ts";

const shop = { name: "Fernhill Outfitters", supportHours: "Mon-Fri 08:00-18:00 CET" };
const brain = createOfflineBrain(shop);
const call = { model: "primary" as const, temperature: 0.2, signal: new AbortController().signal };
const plan = (message: string, extra: Partial<BrainInput> = {}) =>
  brain.decide(
    {
      mode: "plan",
      history: [],
      message,
      scratch: [],
      tools: [],
      toolsAllowed: true,
      loggedIn: false,
      ...extra,
    },
    call,
  );
const args = (d: Decision) => (d.kind === "tool_calls" ? JSON.parse(d.calls[0]?.arguments ?? "{}") : null);
const tool = (d: Decision) => (d.kind === "tool_calls" ? d.calls[0]?.name : "reply");

describe("offline brain", () => {
  it("searches the help centre for a policy question", async () => {
    const d = await plan("How long do refunds take?");
    expect(tool(d)).toBe("search_kb");
    expect(args(d)).toEqual({ query: "How long do refunds take?", top_k: 3 });
  });

  it("looks up an order only with its number and email, asking for what is missing", async () => {
    const full = await plan("where is my order FH-100231? email ana.kovac@example.com");
    expect(args(full)).toEqual({ order_id: "FH-100231", email: "ana.kovac@example.com" });
    const partial = await plan("where is my order FH-100231");
    expect(partial).toMatchObject({ kind: "reply", awaiting: "order_details", awaitingTool: "get_order" });
    // The answer to that question completes the request, with the number from the history.
    const followUp = await plan("ana.kovac@example.com", {
      history: [
        { role: "user", content: "where is my order FH-100231" },
        { role: "assistant", content: "...", meta: { awaiting: "order_details", awaitingTool: "get_order" } },
      ],
    });
    expect(args(followUp)).toEqual({ order_id: "FH-100231", email: "ana.kovac@example.com" });
    const loggedIn = await plan("status of order FH-100231", { loggedIn: true });
    expect(args(loggedIn)).toEqual({ order_id: "FH-100231", email: null });
  });

  it("answers how-things-work questions from the help centre even when they mention shipping or an order", async () => {
    for (const message of [
      "How long does shipping to the UK take?",
      "How do I get an invoice?",
      "My payment failed, what should I do?",
      "Can I add an item to my order?",
      "When is the payment taken from my card?",
      "When are card payments charged?",
    ]) {
      expect(tool(await plan(message)), message).toBe("search_kb");
    }
    // Requests about one's own order stay requests.
    expect(tool(await plan("where is my order FH-100231? email ana.kovac@example.com"))).toBe("get_order");
    expect(await plan("When will my order arrive?")).toMatchObject({ awaitingTool: "get_order" });
    expect(await plan("When do I get my hiking poles?")).toMatchObject({ awaitingTool: "get_order" });
    expect(await plan("cancel my order please")).toMatchObject({ awaitingTool: "create_ticket" });
  });

  it("lists a signed-in visitor's recent orders when they name none, and asks anyone else for the number", async () => {
    expect(args(await plan("Where is my order?", { loggedIn: true }))).toEqual({
      order_id: null,
      email: null,
    });
    expect(await plan("Where is my order?")).toMatchObject({ kind: "reply", awaitingTool: "get_order" });
  });

  it("carries the previous help-centre question into a short follow-up, the new name replacing the old", async () => {
    const history = (content: string) => [
      { role: "user" as const, content },
      { role: "assistant" as const, content: "..." },
    ];
    const uk = await plan("and to the UK?", {
      history: history("How much does standard delivery to Germany cost?"),
    });
    expect(tool(uk)).toBe("search_kb");
    expect(args(uk).query).toMatch(/standard delivery .*UK/);
    expect(args(uk).query).not.toContain("Germany");
    const wear = await plan("does it cover normal wear?", {
      history: history("How long is the warranty on Fernhill products?"),
    });
    expect(args(wear).query).toBe("the warranty on Fernhill products? does it cover normal wear?");
    // A message that stands on its own, or follows small talk, is not a follow-up.
    expect(
      args(await plan("How do I reset my password?", { history: history("How long do refunds take?") }))
        .query,
    ).toBe("How do I reset my password?");
    // After small talk the message is searched (or answered) as it stands, never with the greeting carried in.
    const afterHello = await plan("and to the UK?", { history: history("hello there") });
    if (tool(afterHello) === "search_kb") expect(args(afterHello).query).toBe("and to the UK?");
  });

  it("searches with the typos repaired", async () => {
    expect(args(await plan("retrun polcy")).query).toBe("return policy");
  });

  it("takes an order number without its prefix", async () => {
    const d = await plan("Where is order 100231? my email is ana.kovac@example.com");
    expect(args(d)).toEqual({ order_id: "100231", email: "ana.kovac@example.com" });
  });

  it("hands a safety hazard or a payment dispute to a person, saying which for staff", async () => {
    const hazard = await plan("The canister on my stove is hissing and I can smell gas");
    expect(tool(hazard)).toBe("handoff_human");
    expect(args(hazard).reason).toMatch(/^Product safety/);
    const dispute = await plan("You charged my card twice for one order");
    expect(tool(dispute)).toBe("handoff_human");
    expect(args(dispute).reason).toMatch(/^Payment dispute/);
    expect(args(await plan("I want to talk to a real person")).reason).toBe(
      "The visitor asked for a person or needs one.",
    );
  });

  it("hands over to a person on request and answers small talk itself", async () => {
    expect(tool(await plan("I want to talk to a real person"))).toBe("handoff_human");
    expect(await plan("thanks a lot!")).toMatchObject({
      kind: "reply",
      text: expect.stringContaining("welcome"),
    });
  });

  it("drafts an extractive answer that cites the passage it quotes", async () => {
    const d = await brain.decide(
      {
        mode: "draft",
        history: [],
        message: "How long do refunds take?",
        scratch: [
          { kind: "call", id: "a", name: "search_kb", arguments: "{}" },
          {
            kind: "result",
            id: "a",
            name: "search_kb",
            content: JSON.stringify({
              results: [
                {
                  ref: "S1",
                  title: "Refund timing",
                  text: "## When refunds arrive\nWe check your return within 3 business days. Card refunds take 5-10 business days to reach your account. Gift card refunds are instant.",
                },
              ],
            }),
          },
        ],
        tools: [],
        toolsAllowed: false,
        loggedIn: false,
      },
      call,
    );
    expect(d.kind).toBe("reply");
    const text = d.kind === "reply" ? d.text : "";
    expect(text).toContain("refunds take 5-10 business days");
    expect(text).toMatch(/\[S1\]/);
  });

  it("describes an order it found and never invents one it did not", async () => {
    const draft = (content: unknown) =>
      brain.decide(
        {
          mode: "draft",
          history: [],
          message: "where is it",
          scratch: [{ kind: "result", id: "a", name: "get_order", content: JSON.stringify(content) }],
          tools: [],
          toolsAllowed: false,
          loggedIn: false,
        },
        call,
      );
    const found = await draft({
      found: true,
      order: {
        order_number: "FH-1",
        status: "in_transit",
        placed_at: "x",
        updated_at: "x",
        total: "10.00 EUR",
        items: [],
        shipping_country: "DE",
        carrier: "DHL",
        tracking_number: "123",
        tracking_url: null,
        estimated_delivery: "2026-11-30",
      },
    });
    expect(found).toMatchObject({
      text: "Your order FH-1 is on its way. It's travelling with DHL, tracking number 123. Estimated delivery: 2026-11-30.",
    });
    const missing = await draft({ found: false, code: "not_found:order", hint: "x" });
    expect(missing).toMatchObject({ text: expect.stringContaining("couldn't find an order") });
  });
});
