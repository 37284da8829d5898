import { describe, expect, it } from "vitest";
import { isFragment } from "../../evals/answers-score.ts";
import { extractiveAnswer, readUnits } from "./extractive-answer.ts";

const shipping = {
  ref: "S1",
  title: "Where do you ship and how much does delivery cost?",
  text: `Every order is packed in our warehouse in Leipzig, and we deliver to most countries in the world.

## Delivery prices by region

| Region | Standard | Free standard delivery from | Express |
|---|---|---|---|
| Germany and Austria | €4.95 | €75 | €12.95 |
| United Kingdom | £9.95 | £110 | £19.95 |
| Rest of the world | €39.95 (always express) | not available | included |

## Addresses we can and can't deliver to

- We can't deliver to PO boxes or parcel lockers outside Germany.
- Express parcels always need a street address.`,
};

const returns = {
  ref: "S2",
  title: "Which items can't be returned?",
  text: `## Items we can't accept back

- **Gas canisters and any other fuel.** Canisters are dangerous goods and can only travel on special ground services.
- **Opened water filter cartridges.** Once a cartridge has had water through it, we can't check that it's clean.

## Items you can return, with care

These can be returned, but only in as-new condition:

- **Boots and shoes** tried on indoors only.
- **Tents** pitched indoors only, with all pegs, poles and bags.`,
};

const reset = {
  ref: "S3",
  title: "I forgot my password",
  text: `If you can't sign in, resetting your password usually solves it in a couple of minutes.

## Resetting your password

1. On the sign-in page, select **Forgot password?**
2. Enter the email address of your account and select **Send reset link**.
3. Enter a new password of at least **10 characters**.

## Locked out after several attempts

After 5 wrong passwords in a row, sign-in is locked for 15 minutes. Wait, then try again or reset your password.`,
};

describe("extractiveAnswer", () => {
  it("answers from the table row the question names, with its column headers", () => {
    const text = extractiveAnswer("How much is express delivery to the UK?", [shipping]) ?? "";
    expect(text).toContain(
      "United Kingdom: standard £9.95; free standard delivery from £110; express £19.95",
    );
    expect(text).not.toContain("Germany and Austria");
    expect(text).toMatch(/\[S1\]\.$/);
  });

  it("reads two chunks of one article as one page and cites the chunk the answer came from", () => {
    const taxes = {
      ref: "S1",
      title: shipping.title,
      text: [
        "## Which currency you pay in\n\nWe charge in euros for deliveries to the EU, in pounds for the UK and in US dollars for the USA.",
        "## Taxes and duties outside the EU\n\nFor the UK we collect VAT at checkout, so there is nothing more to pay when the parcel arrives.",
      ].join("\n\n"),
    };
    const other = { ref: "S2", title: "Returns", text: "Returns to the UK cost £6.95 for the label." };
    const text =
      extractiveAnswer("how much is shipping to the uk", [taxes, other, { ...shipping, ref: "S3" }]) ?? "";
    expect(text).toContain("United Kingdom: standard £9.95");
    expect(text).toMatch(/\[S3\]\.$/);
  });

  it("reads a country as its region and 'UK' as the United Kingdom", () => {
    expect(extractiveAnswer("Do you ship to Australia?", [shipping])).toContain(
      "Rest of the world: standard €39.95",
    );
    expect(extractiveAnswer("shipping to england", [shipping])).toContain("£9.95");
  });

  it("reads place names in Spanish, German and French as the regions of a translated price table", () => {
    const table = [
      "| Región | Estándar | Exprés |",
      "|---|---|---|",
      "| Alemania y Austria | 4,95 € | 12,95 € |",
      "| Resto de la UE | 8,95 € | 19,95 € |",
      "| Reino Unido | 9,95 £ | 19,95 £ |",
      "| Resto del mundo | 39,95 € | incluido |",
    ].join("\n");
    const passages = [{ ref: "S1", title: "Envíos", text: table }];
    expect(extractiveAnswer("how much does shipping to spain cost envío a España", passages)).toContain(
      "Resto de la UE",
    );
    expect(extractiveAnswer("shipping to the rest of the world resto del mundo", passages)).toContain(
      "39,95 €",
    );
    expect(extractiveAnswer("cost to the uk envío al Reino Unido", passages)).toContain("9,95 £");
  });

  it("keeps the heading of an exclusion list, so an exclusion never reads as a condition", () => {
    const text = extractiveAnswer("Can I return gas canisters?", [returns]) ?? "";
    expect(text).toMatch(/^No\. Items we can't accept back: gas canisters and any other fuel/);
  });

  it("lists what a 'which ...' question asks for, the negative list for a negative question", () => {
    const text = extractiveAnswer("Which items can't be returned?", [returns]) ?? "";
    expect(text).toContain(
      "Items we can't accept back:\n- Gas canisters and any other fuel.\n- Opened water filter cartridges.",
    );
    expect(text).not.toContain("Boots");
  });

  it("answers a how-to with the steps of its section and nothing from another section", () => {
    const text = extractiveAnswer("How do I reset my password?", [reset]) ?? "";
    expect(text).toContain("Resetting your password:\n- On the sign-in page, select Forgot password?");
    expect(text).toContain("- Enter a new password of at least 10 characters.");
    expect(text).not.toContain("Wait, then try again");
  });

  it("does not say no when the negative sentence is not about the question", () => {
    const text = extractiveAnswer("Is there free shipping?", [shipping]) ?? "";
    expect(text.startsWith("No")).toBe(false);
    expect(text).toContain("free standard delivery from €75");
  });

  it("never ends in a fragment and stays short", () => {
    for (const q of ["Do you deliver to PO boxes?", "What are your delivery prices?", "password reset"]) {
      const text = extractiveAnswer(q, [shipping, returns, reset]) ?? "";
      expect(isFragment(text), text).toBe(false);
      expect(text.split(/\s+/).length).toBeLessThanOrEqual(110);
    }
  });

  it("reads list items whole, with the sentence that introduces them", () => {
    const items = readUnits(returns.text).filter((u) => u.kind === "item");
    expect(items.map((u) => u.lead)).toEqual([
      "Items we can't accept back",
      "Items we can't accept back",
      "These can be returned, but only in as-new condition:",
      "These can be returned, but only in as-new condition:",
    ]);
    expect(items[0]?.negative).toBe(true);
    expect(items[2]?.negative).toBe(false);
  });

  it("answers from the rule, not from the example that illustrates it", () => {
    const labels = {
      ref: "S4",
      title: "How much does it cost to send a return?",
      text: `## Return label prices

| Delivery country | Carrier | Label cost |
|---|---|---|
| Germany, Austria | DHL | free |
| Rest of the EU | DPD | €5.95 |

**Example:** you ordered a €99 rain jacket to Belgium with standard delivery (€8.95), then return it.`,
    };
    const text = extractiveAnswer("How much does it cost to send a return from Belgium?", [labels]) ?? "";
    expect(text).toContain("€5.95");
    expect(text).not.toContain("rain jacket");
  });

  it("does not answer about one piece of kit with a sentence about others", () => {
    const damaged = {
      ref: "S5",
      title: "My item arrived damaged",
      text: `Please contact us within 14 days of delivery if an item arrived damaged, with photos of the damage.

## Safety

If a stove, canister or battery arrives damaged, don't use it.`,
    };
    const text = extractiveAnswer("My jacket arrived damaged, what should I do?", [damaged]) ?? "";
    expect(text).toContain("within 14 days");
    expect(text).not.toContain("stove");
  });

  it("answers how long with a duration, not with a price", () => {
    const regions = {
      ref: "S6",
      title: "Delivery to the USA",
      text: `| Destination | Standard delivery | Express delivery |
|---|---|---|
| USA, Canada | $19.95 | $39.95 |

Express parcels to the USA arrive in 3-5 days.`,
    };
    const text = extractiveAnswer("How long does express delivery to the USA take?", [regions]) ?? "";
    expect(text).toContain("3-5 days");
  });

  it("reads a list item that introduces a table as a whole sentence", () => {
    const [item] = readUnits(
      "- **Wear and accidents** are repaired at fixed prices:\n\n| Repair | Price |\n|---|---|\n| Zip | €35 |",
    );
    expect(item?.text).toBe("Wear and accidents are repaired at fixed prices.");
  });

  it("answers a follow-up's own question within the topic it carries", () => {
    const warranty = {
      ref: "S7",
      title: "What warranty do your products have?",
      text: `Outdoor gear works hard, and we expect it to last. Every product we sell is covered for at least two years, and our own Fernhill-brand products for longer.

## Cover at a glance

| Product | Cover | From |
|---|---|---|
| Every product we sell | 2-year legal guarantee | date of delivery |
| Fernhill-brand products | 5-year Fernhill warranty on materials and workmanship | date of delivery |
| Fernhill jackets, backpacks, tents and sleeping bags | Lifetime Repair Programme on top | for the life of the product |

Fernhill-brand products have "Fernhill" on the label and on the product page. For partner brands, the 2-year legal guarantee applies through us; some brands also offer their own longer warranty, which you can claim directly with them.

## What is covered

Faults in materials or workmanship, for example:

- a seam that opens or a seam tape that peels on a jacket that has been cared for as described on the label
- a zip that splits or a slider that breaks in normal use
- a sole that comes away from the upper of a boot
- a tent pole that cracks under normal tension, or a buckle that breaks on a backpack
- a stove valve that leaks, or a headlamp that stops switching on
- a rechargeable battery that no longer holds a usable charge within two years

## What isn't covered

- **Normal wear**: worn soles and heels, abrasion on pack straps, pilling on merino, faded colours.
- **Accidents and damage**: burns from a campfire, tears from branches or crampons, items caught in a car door.`,
    };
    const question = "the warranty on Fernhill products? does it cover normal wear?";
    const text = extractiveAnswer(question, [warranty], "does it cover normal wear?") ?? "";
    expect(text).toContain("What isn't covered: normal wear");
    expect(text).not.toContain("5-year");
  });

  it("answers a yes/no question with the Yes the article opens with, not a No from a clause in its conditions", () => {
    const priceMatch = {
      ref: "S1",
      title: "Do you price match? (Price Promise)",
      text: `Yes. If you find the same product cheaper at another authorised retailer, we'll match the price.

## Matching another retailer

We match the price when all of these are true:

- It's the **identical product**: same model, same size and same colour.
- The comparison is on the **delivered price**: item price plus delivery to you. If we offer free delivery and they don't, their delivery charge counts.

## When we can't match

- Marketplaces and auction sites, or sellers on them.`,
    };
    const text = extractiveAnswer("Do you price match?", [priceMatch]) ?? "";
    expect(text).toMatch(/^Yes\b/);
    expect(text).not.toMatch(/\bNo\./);
    // A question the article's title does not ask keeps its own reading.
    const other = extractiveAnswer("Do you match marketplace prices?", [priceMatch]) ?? "";
    expect(other).not.toMatch(/^Yes\b/);
  });

  it("keeps a status table's header out of its values and ends each row with one full stop", () => {
    const statuses = {
      ref: "S1",
      title: "How do I track my order?",
      text: `## What the tracking statuses mean

| Status | What it means |
|---|---|
| Shipped | The label has been created and the parcel is waiting for collection. |
| Delayed | The carrier has reported a problem, for example bad weather. |`,
    };
    const [shipped] = readUnits(statuses.text);
    expect(shipped?.text).toBe(
      "Shipped: The label has been created and the parcel is waiting for collection.",
    );
    const text = extractiveAnswer("What does the tracking status Delayed mean?", [statuses]) ?? "";
    expect(text).toContain("Delayed: The carrier has reported a problem");
    expect(text).not.toMatch(/what it means|\.\./);
  });

  it("reads no from what a list item asserts, not from the condition it sets", () => {
    const [packed, dispatched] = readUnits(
      "- We can change the address as long as the parcel hasn't been packed.\n- Once the parcel is with the carrier, we can no longer change it.",
    );
    expect(packed?.negative).toBe(false);
    expect(dispatched?.negative).toBe(true);
  });

  const address = {
    ref: "S1",
    title: "How do I change my delivery address?",
    text: `Whether we can change your address depends on whether your order has left our warehouse yet.

## Before dispatch

We can change the address as long as the parcel hasn't been packed, and we confirm the change by email.

## Changing a saved address

To change an address for future orders, go to Account > Addresses. This doesn't affect orders already placed.`,
  };

  it("answers a yes/no question with the sentence that states the asked verb, and no No. from its condition", () => {
    const text = extractiveAnswer("Can I change my delivery address after ordering?", [address]) ?? "";
    expect(text).toMatch(/^We can change the address as long as the parcel hasn't been packed/);
    expect(text).not.toContain("future orders");
  });

  it("opens with the article's answer to its title's question when the opening states the asked verb", () => {
    const account = {
      ref: "S1",
      title: "Do I need an account, and how do I create one?",
      text: `You don't need an account to shop with us. Guest checkout works for every order.

## What an account gives you

- All your orders, parcels and invoices in one place under Account > Orders

## Business and club accounts

Ordering for an organisation? A business account lets several people share orders and invoices.`,
    };
    const text = extractiveAnswer("Do I need an account to order?", [account]) ?? "";
    expect(text).toMatch(/^No\. You don't need an account to shop with us\. Guest checkout works/);
    expect(text).not.toContain("organisation");
  });

  it("answers from what a unit asserts, not from the question's words in its condition", () => {
    const codes = {
      ref: "S1",
      title: "How do discount codes work?",
      text: `## The rules

- **One code per order.** Codes can't be combined with each other.
- Codes reduce the price of the items, not the delivery charge.

## Returns with a discount

If you return an item from an order that used a discount code, we refund the price you actually paid for that item.`,
    };
    const text = extractiveAnswer("Can I use two discount codes on one order?", [codes]) ?? "";
    expect(text).toContain("one code per order. Codes can't be combined with each other");
    expect(text).not.toContain("we refund the price");
  });

  it("answers for the place the question names, not for the places another section is about", () => {
    const customs = {
      ref: "S1",
      title: "Customs, duties and import taxes",
      text: `## United Kingdom

For the UK, the import VAT is collected at checkout: there is nothing more to pay.

## Switzerland and Norway

When your parcel arrives there, the import VAT and the duties are charged to you by the carrier.`,
    };
    const text =
      extractiveAnswer("Do I have to pay import VAT when my parcel arrives in the UK?", [customs]) ?? "";
    expect(text).toContain("collected at checkout");
    expect(text).not.toContain("to the carrier");
  });

  it("answers a how-to with the steps headed by its verb", () => {
    const exchanges = {
      ref: "S1",
      title: "How do I exchange an item for a different size or colour?",
      text: `## What can be exchanged

- The **same product** in a **different size or colour**, at the same price.
- Each item can be exchanged once. If the second size doesn't fit either, return it for a refund.

## How to exchange

1. Go to **Account > Orders** and select the item.
2. Choose **Exchange** and pick the new size.
3. Print the free label and drop the parcel off within 14 days.`,
    };
    const text = extractiveAnswer("How do I exchange an item for a different size?", [exchanges]) ?? "";
    expect(text).toMatch(/^How to exchange:\n- Go to Account > Orders/);
    expect(text).toContain("- Print the free label");
  });

  it("follows a sentence that only names the situation with the instructions after it", () => {
    const damaged = {
      ref: "S1",
      title: "My item arrived damaged, faulty or incomplete",
      text: `If something arrived damaged, doesn't work or is missing, we'll sort it out quickly.

## Report it within 14 days

Please contact us within 14 days of delivery, through the chat.

Include:

- your order number,
- photos of the item and the damage.

## What we do

Once we've seen the photos, you choose a replacement or a refund.`,
    };
    const text = extractiveAnswer("My jacket arrived damaged, what should I do?", [damaged]) ?? "";
    expect(text).toContain("Please contact us within 14 days of delivery");
    expect(text).toContain("- photos of the item and the damage.");
    expect(text).not.toContain("you choose a replacement");
  });

  it("answers how often from the list whose short lead means the sentence before it", () => {
    const filter = {
      ref: "S1",
      title: "How do I look after my water filter?",
      text: `## Backflushing

Backflushing pushes clean water backwards through the filter. Do it:

- after **every trip**,
- every few days on longer trips.

## Slow flow from new?

Let it soak in clean water for 5 minutes, then backflush once.`,
    };
    const text = extractiveAnswer("How often should I backflush my water filter?", [filter]) ?? "";
    expect(text).toMatch(
      /^Backflushing pushes clean water backwards through the filter\. Do it:\n- after every trip/,
    );
    expect(text).not.toContain("soak");
  });

  it("reads a list's lead sentence as part of each item", () => {
    const welcome = {
      ref: "S1",
      title: "How do discount codes work?",
      text: `Discount codes come from our newsletter and from occasional campaigns.

## Newsletter welcome code

When you sign up to our newsletter, we send you a welcome code for **10% off your first order**:

- minimum order value €50
- valid for **30 days**`,
    };
    const text = extractiveAnswer("What is the newsletter welcome discount?", [welcome]) ?? "";
    expect(text).toContain("we send you a welcome code for 10% off your first order");
  });

  it("does not say no when the no holds only under a condition", () => {
    const charge = {
      ref: "S1",
      title: "How much does it cost to send a return?",
      text: `## What about my original delivery charge?

If you return your **whole order**, we refund the standard delivery charge you paid. If you return only some of the items, the original delivery charge isn't refunded.`,
    };
    const text =
      extractiveAnswer("Do I get my original shipping cost back when I return something?", [charge]) ?? "";
    expect(text).toContain(
      "If you return your whole order, we refund the standard delivery charge you paid.",
    );
    expect(text.startsWith("No")).toBe(false);
  });
});
