import { describe, expect, it } from "vitest";
import { createOfflineRouter } from "./offline-router.ts";
import { OUT_OF_SCOPE_THRESHOLD, outOfScopeProbability } from "./offline-scope.ts";
import { routeLabelSchema } from "./route-label.ts";
import { routingExamples } from "./routing-examples.ts";
import { createShopIndex } from "./shop-index.ts";

const router = createOfflineRouter();
const routeOf = (message: string) => router.route(message).tool;

describe("offline router", () => {
  it.each([
    ["hey, where has my parcel got to? ordered the tent 6 days ago", "get_order"],
    ["when is order 300127 going to be delivered", "get_order"],
    ["please send me the invoice for my kayak order", "get_order"],
    ["please cancel my order, i found it elsewhere", "create_ticket"],
    ["i'd like to get a refund for these gloves", "create_ticket"],
    ["my card payment failed twice, can you check it", "create_ticket"],
    ["i want to speak with a real human", "handoff_human"],
    ["i want to file a complaint about your courier", "handoff_human"],
    ["do you ship to france", "search_kb"],
    ["what payment methods can i use", "search_kb"],
    ["how do i close my account", "search_kb"],
    ["good afternoon", "none"],
    ["thank you very much", "none"],
  ])("routes %j to %s", (message, tool) => {
    expect(routeOf(message)).toBe(tool);
  });

  it.each([
    "what will the weather be like in oslo tomorrow",
    "give me a recipe for lasagne",
    "how do i transfer money to my brother's bank account",
    "set a timer for 20 minutes",
    "who painted the mona lisa",
  ])("says none to the out-of-scope %j", (message) => {
    const decision = router.route(message);
    expect(decision.tool).toBe("none");
    expect(decision.confidence).toBeGreaterThan(0);
  });

  it("decides scope by the calibrated model: far from the shop and full of words no example uses is out", () => {
    const out = router.route("how do i get red wine out of a couch cushion");
    const inside = router.route("how do i wash my down jacket");
    expect(outOfScopeProbability(out.signals)).toBeGreaterThan(OUT_OF_SCOPE_THRESHOLD);
    expect(out.tool).toBe("none");
    expect(outOfScopeProbability(inside.signals)).toBeLessThan(outOfScopeProbability(out.signals));
    expect(inside.tool).toBe("search_kb");
    // Naming the shop's kit keeps a message in scope whatever the model says.
    expect(router.route("do the merino socks itch").tool).not.toBe("none");
  });

  it("hands safety hazards and payment disputes to a person, whatever the nearest examples say", () => {
    const hazard = router.route("the gas canister on my stove is hissing, it smells of gas everywhere");
    expect(hazard).toMatchObject({ tool: "handoff_human", handoff: "safety" });
    const dispute = router.route("my card was charged two times");
    expect(dispute).toMatchObject({ tool: "handoff_human", handoff: "payment_dispute" });
    expect(router.route("which stove is best for winter camping").handoff).toBeNull();
  });

  describe("with the shop's help-centre vocabulary", () => {
    // Written for these tests in the demo help centre's style: names no routing example uses.
    const shop = createShopIndex([
      {
        title: "How do I wash and care for my gear?",
        text: "## Merino base layers and socks\nWash merino at 30 degrees. **Dry flat**: tumble drying shrinks merino.",
      },
      {
        title: "Setting up trekking poles and headlamps",
        text: "## Switchback trekking poles\nThe Switchback comes in **carbon** (€109 a pair) and aluminium (€59 a pair).",
      },
      {
        title: "When will my order be dispatched?",
        text: "## The 14:00 cut-off\nOrders placed by 14:00 leave today.",
      },
    ]);
    const withShop = createOfflineRouter(routingExamples, { shop });

    it("keeps a question in the shop's own words for the help centre", () => {
      for (const message of [
        "does merino shrink if i tumble dry it",
        "what do switchback carbon poles cost",
      ]) {
        expect(router.route(message).tool, message).toBe("none");
        const decision = withShop.route(message);
        expect(decision.tool, message).toBe("search_kb");
        expect(decision.signals.shopQuestion).toBe(true);
      }
    });

    it("still refuses what is out of scope, even when it shares an ordinary word with the help centre", () => {
      for (const message of [
        "book me flights to paris",
        "what's the weather like tomorrow",
        "tell me a joke",
        "what time is it in tokyo right now",
        "how do i wash my car",
      ])
        expect(withShop.route(message).tool, message).toBe("none");
    });
  });

  it("reads every country as one place word, so a destination no example names routes like one they do", () => {
    for (const message of ["shipping time to Switzerland", "How much is delivery to Switzerland?"])
      expect(router.route(message).tool, message).toBe("search_kb");
  });

  it("repairs a message's typos for search, keeping everything else as typed", () => {
    expect(router.repair("how lng do refnds tak")).toBe("how lng do refunds tak");
    expect(router.repair("Do u ship to autralia?")).toBe("Do u ship to australia?");
    expect(router.repair("Where is FH-100231?")).toBe("Where is FH-100231?");
  });

  it("tolerates typos", () => {
    expect(routeOf("wher is my pakcage")).toBe("get_order");
    expect(routeOf("i wnat my mony back")).toBe("create_ticket");
    expect(routeOf("forgot my pasword")).toBe("search_kb");
    expect(routeOf("tlak to a humn")).toBe("handoff_human");
  });

  it("routes a bare order number with an email to get_order", () => {
    expect(routeOf("FH-55120 anna.berg@example.org")).toBe("get_order");
    expect(routeOf("order 9920341, my email is k.tanaka@example.jp")).toBe("get_order");
  });

  it("is deterministic across calls and across instances", () => {
    const message = "can you change the address on order 44102";
    const first = router.route(message);
    expect(router.route(message)).toEqual(first);
    expect(createOfflineRouter().route(message)).toEqual(first);
  });

  it.each(["", "   ", "???", "!!! ...", "\n\t"])("answers none for the empty-ish %j", (message) => {
    const decision = router.route(message);
    expect(decision.tool).toBe("none");
    expect(decision.nearest).toEqual([]);
    expect(Number.isFinite(decision.confidence)).toBe(true);
  });

  it("reports the nearest examples, closest first", () => {
    const { nearest, confidence } = router.route("where is my refund");
    expect(nearest.length).toBeGreaterThan(0);
    expect(nearest.length).toBeLessThanOrEqual(5);
    const scores = nearest.map((n) => n.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(nearest[0]?.tool).toBe("get_order");
    expect(confidence).toBeGreaterThan(0);
    expect(confidence).toBeLessThanOrEqual(1);
  });

  it("routes with caller-supplied examples and options", () => {
    const tiny = createOfflineRouter(
      [
        { text: "where is my parcel", tool: "get_order" },
        { text: "talk to a person", tool: "handoff_human" },
      ],
      { k: 1, nearestCount: 1 },
    );
    expect(tiny.route("where's the parcel").tool).toBe("get_order");
    expect(tiny.route("a person please").tool).toBe("handoff_human");
    expect(tiny.route("quantum chromodynamics").tool).toBe("none");
    expect(tiny.route("where's the parcel").nearest).toHaveLength(1);
  });

  it("refuses to build without examples", () => {
    expect(() => createOfflineRouter([])).toThrow();
  });
});

describe("routing examples", () => {
  it("use only known labels and never repeat a text", () => {
    for (const example of routingExamples)
      expect(routeLabelSchema.safeParse(example.tool).success).toBe(true);
    const texts = routingExamples.map((e) => e.text.toLowerCase());
    expect(new Set(texts).size).toBe(texts.length);
  });

  it("cover every label with a usable number of examples", () => {
    for (const label of routeLabelSchema.options) {
      expect(routingExamples.filter((e) => e.tool === label).length).toBeGreaterThanOrEqual(40);
    }
  });
});
