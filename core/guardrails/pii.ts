/**
 * PII masking before text leaves for search, embedding or logs (the search_kb Hand, the KB search port, the
 * tool-call record). Masks what identifies or charges a person: e-mail addresses, phone numbers, payment cards that
 * pass the Luhn check, IBANs that pass mod-97, US social security numbers, street addresses (US-style "1600 Example
 * Ave, Springfield, IL 62704" and German-style "Hauptstraße 12, 04109 Leipzig"), dates of birth and passwords that
 * are announced as such ("I was born ...", "my password is ..."). Keeps what tools legitimately need: order numbers
 * (FH-100231, or digits after "order"/"purchase"), amounts and ordinary dates. Measured by evals/pii.ts.
 */
export type PiiType =
  | "EMAIL"
  | "PHONE"
  | "CREDIT_CARD"
  | "IBAN"
  | "US_SSN"
  | "ADDRESS"
  | "DATE_OF_BIRTH"
  | "PASSWORD";

export interface PiiSpan {
  type: PiiType;
  start: number;
  end: number;
  value: string;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b/g;
const CARD = /\b(?:\d[ -]?){12,18}\d\b/g;
const SSN = /\b(\d{3})[- ](\d{2})[- ](\d{4})\b/g;
const PHONE = /(?<![\w+])(?:\+|00)?\(?\d{1,4}\)?(?:[ .-]?\(?\d{2,4}\)?){1,5}\b/g;

const MONTHS =
  "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
const DATE = `(?:\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}[./-]\\d{1,2}[./-]\\d{2,4}|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:${MONTHS})\\.?,?\\s+\\d{4}|(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4})`;
/** A date counts as a date of birth only when the text says so; order and delivery dates stay. */
const BIRTH = new RegExp(
  `\\b(?:born(?:\\s+on)?|date\\s+of\\s+birth(?:\\s+is)?|d\\.?o\\.?b\\.?|birth\\s*date(?:\\s+is)?|birthday(?:\\s+is)?)\\s*[:=]?\\s*(${DATE})`,
  "gi",
);
/** A secret announced as one: "my password is X", "pwd: X", "PIN = 1234". The cue stays, the secret goes. */
const PASSWORD = /\b(?:pass(?:word|code|phrase)?|pwd|pin)\s*(?:is|was|:|=)\s*[:=]?\s*("[^"]+"|'[^']+'|\S+)/gi;

const STREET_SUFFIX =
  "street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|ter|parkway|pkwy|highway|hwy|circle|cir|square|sq";
/** "1600 Example Ave", then optionally an apartment, ", City", ", ST" and a ZIP code. */
const US_ADDRESS = new RegExp(
  `\\b\\d{1,6}\\s+(?:[A-Za-z][A-Za-z'.-]*\\s+){1,4}(?:${STREET_SUFFIX})\\b\\.?` +
    "(?:,?\\s*(?:apt|apartment|suite|ste|unit|#)\\.?\\s*[\\w-]+)?" +
    "(?:,\\s*[A-Z][A-Za-z]+(?:\\s+[A-Z][A-Za-z]+){0,2})?(?:,\\s*[A-Z]{2})?(?:\\s+\\d{5}(?:-\\d{4})?)?",
  "gi",
);
/** "Hauptstraße 12", "Am Ring 5a", then optionally ", 04109 Leipzig". */
const DE_ADDRESS =
  /(?<![\p{L}\d])[A-ZÄÖÜ][\p{L}-]*?(?:[Ss]tra(?:ß|ss)e|[Ss]tr\.|[Ww]eg|[Gg]asse|[Pp]latz|[Aa]llee|[Rr]ing|[Dd]amm|[Uu]fer)\s+\d{1,4}[a-z]?(?:,\s*\d{5}\s+[A-ZÄÖÜ][\p{L}-]+)?/gu;

/** Words that make the digits after them an order or parcel number, not a card or a phone. */
const REFERENCE_CUE =
  /\b(?:order|purchase|invoice|tracking|parcel|shipment|ticket|reference|ref|case|no|number)\b|#/gi;
/** What may stand between the cue and the digits: "number: 1Z 999 AA1 ..." (upper-case code parts only). */
const CODE_SO_FAR = /^[\s:#.]*[A-Z0-9 -]*$/;

export function findPii(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  const taken = (start: number, end: number) => spans.some((s) => start < s.end && end > s.start);
  const add = (type: PiiType, start: number, end: number) => {
    if (end > start && !taken(start, end)) spans.push({ type, start, end, value: text.slice(start, end) });
  };
  const collect = (type: PiiType, pattern: RegExp, accept: (value: string, start: number) => boolean) => {
    for (const match of text.matchAll(pattern)) {
      if (accept(match[0], match.index)) add(type, match.index, match.index + match[0].length);
    }
  };
  /** Masks only the captured group (the date, the secret), leaving the cue words readable. */
  const collectGroup = (type: PiiType, pattern: RegExp) => {
    for (const match of text.matchAll(pattern)) {
      const value = match[1] ?? "";
      const start = match.index + match[0].length - value.length;
      add(type, start, start + value.length);
    }
  };
  const afterReference = (start: number) => {
    const before = text.slice(Math.max(0, start - 32), start);
    const cues = [...before.matchAll(REFERENCE_CUE)];
    const last = cues.at(-1);
    return last !== undefined && CODE_SO_FAR.test(before.slice(last.index + last[0].length));
  };
  const afterOrderPrefix = (start: number) =>
    /[A-Za-z]{1,5}-$/.test(text.slice(Math.max(0, start - 6), start));

  collect("EMAIL", EMAIL, () => true);
  collect("IBAN", IBAN, (v) => ibanValid(v));
  collect("CREDIT_CARD", CARD, (v, start) => luhnValid(v.replace(/\D/g, "")) && !afterReference(start));
  collect("US_SSN", SSN, (v) => ssnValid(v));
  collectGroup("DATE_OF_BIRTH", BIRTH);
  collectGroup("PASSWORD", PASSWORD);
  collect("ADDRESS", US_ADDRESS, (v) => /\d\s+\S+\s+\S+/.test(v));
  collect("ADDRESS", DE_ADDRESS, () => true);
  collect(
    "PHONE",
    PHONE,
    (v, start) =>
      looksLikePhone(v) && !afterReference(start) && !afterOrderPrefix(start) && !looksLikeDate(v),
  );
  return spans.sort((a, b) => a.start - b.start);
}

/** Replaces each span with its type in brackets, e.g. `[EMAIL]`. */
export function maskPii(text: string): string {
  let out = "";
  let at = 0;
  for (const span of findPii(text)) {
    out += `${text.slice(at, span.start)}[${span.type}]`;
    at = span.end;
  }
  return out + text.slice(at);
}

export function luhnValid(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function ibanValid(raw: string): boolean {
  const iban = raw.replace(/\s/g, "");
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= "A" && ch <= "Z" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** The SSA never issues area 000, 666 or 900-999, group 00 or serial 0000. */
function ssnValid(value: string): boolean {
  const [area, group, serial] = value.split(/[- ]/);
  if (!area || !group || !serial) return false;
  return area !== "000" && area !== "666" && area[0] !== "9" && group !== "00" && serial !== "0000";
}

function looksLikePhone(value: string): boolean {
  const trimmed = value.trim();
  const digits = trimmed.replace(/\D/g, "");
  // Order numbers and years are digit runs without separators; phone numbers have 7-15 digits and usually a
  // separator or an international prefix.
  if (digits.length < 7 || digits.length > 15) return false;
  return /[ .()-]/.test(trimmed) || trimmed.startsWith("+");
}

function looksLikeDate(value: string): boolean {
  return /^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{4}$/.test(value.trim());
}
