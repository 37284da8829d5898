import { describe, expect, it } from "vitest";
import { findPii, luhnValid, maskPii } from "./pii.ts";

const types = (text: string) => findPii(text).map((s) => [s.type, s.value]);

describe("maskPii", () => {
  it("masks e-mail addresses, including plus addressing", () => {
    expect(maskPii("write to anna.k+shop@mail.example.org please")).toBe("write to [EMAIL] please");
  });

  it("masks phone numbers in international and local formats", () => {
    expect(maskPii("call +49 341 1234567 or (030) 123-4567")).toBe("call [PHONE] or [PHONE]");
    expect(maskPii("my number is 555-0199")).toBe("my number is [PHONE]");
    expect(maskPii("ring 0044 20 7946 0000 tomorrow")).toBe("ring [PHONE] tomorrow");
  });

  it("masks card numbers only when they pass the Luhn check", () => {
    expect(luhnValid("4242424242424242")).toBe(true);
    expect(maskPii("card 4242 4242 4242 4242 expired")).toBe("card [CREDIT_CARD] expired");
    expect(maskPii("card 6011-1111-1111-1117")).toBe("card [CREDIT_CARD]");
    expect(types("card 4242 4242 4242 4243")).not.toContainEqual(["CREDIT_CARD", "4242 4242 4242 4243"]);
  });

  it("keeps order numbers, even long ones that happen to pass the Luhn check", () => {
    expect(maskPii("where is FH-100231?")).toBe("where is FH-100231?");
    expect(maskPii("where is FH-1002317?")).toBe("where is FH-1002317?");
    expect(luhnValid("4539578763621486")).toBe(true);
    expect(maskPii("status of order 4539578763621486")).toBe("status of order 4539578763621486");
    expect(maskPii("tracking number: 1Z 999 AA1 0123 4567 84")).not.toContain("[PHONE]");
  });

  it("masks IBANs with a valid checksum and leaves other capitals alone", () => {
    expect(maskPii("IBAN DE89 3704 0044 0532 0130 00")).toBe("IBAN [IBAN]");
    expect(maskPii("IBAN DE88 3704 0044 0532 0130 00")).not.toContain("[IBAN]");
  });

  it("masks social security numbers the SSA could have issued", () => {
    expect(maskPii("SSN 219-09-9999")).toBe("SSN [US_SSN]");
    expect(types("SSN 000-12-3456")).not.toContainEqual(["US_SSN", "000-12-3456"]);
    expect(types("SSN 666-12-3456")).not.toContainEqual(["US_SSN", "666-12-3456"]);
  });

  it("masks street addresses in US and German formats", () => {
    expect(maskPii("send it to 42 Willow Creek Road, Portland, OR 97201 asap")).toBe(
      "send it to [ADDRESS] asap",
    );
    expect(maskPii("deliver to 7 elm st apt 3 please")).toBe("deliver to [ADDRESS] please");
    expect(maskPii("Lieferung an Karl-Heine-Straße 12, 04229 Leipzig bitte")).toBe(
      "Lieferung an [ADDRESS] bitte",
    );
    expect(maskPii("I bought 2 boots and 3 jackets")).toBe("I bought 2 boots and 3 jackets");
  });

  it("masks a date of birth but keeps order and delivery dates", () => {
    expect(maskPii("I was born on 3 March 1985")).toBe("I was born on [DATE_OF_BIRTH]");
    expect(maskPii("date of birth: 07/11/1979")).toBe("date of birth: [DATE_OF_BIRTH]");
    expect(maskPii("DOB 1985-03-03, order placed 2026-05-01")).toBe(
      "DOB [DATE_OF_BIRTH], order placed 2026-05-01",
    );
    expect(maskPii("it arrived on 2026-05-01")).toBe("it arrived on 2026-05-01");
  });

  it("masks announced passwords and PINs but keeps the cue", () => {
    expect(maskPii("my password is s3cr3t!x and it fails")).toBe("my password is [PASSWORD] and it fails");
    expect(maskPii("pwd: 'correct horse'")).toBe("pwd: [PASSWORD]");
    expect(maskPii("I forgot my password")).toBe("I forgot my password");
  });

  it("leaves amounts and ordinary text unchanged", () => {
    const text = "I paid €149.90 on 12.05.2026 for 2 tents, refund 1200 dollars please";
    expect(maskPii(text)).toBe(text);
  });

  it("returns spans in text order without overlaps", () => {
    const spans = findPii("mail a@b.example, SSN 219-09-9999, card 4242424242424242, born 1990-04-12");
    expect(spans.map((s) => s.type)).toEqual(["EMAIL", "US_SSN", "CREDIT_CARD", "DATE_OF_BIRTH"]);
    for (let i = 1; i < spans.length; i++)
      expect(spans[i]?.start).toBeGreaterThanOrEqual(spans[i - 1]?.end ?? 0);
  });
});
