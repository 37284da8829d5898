/**
 * PII masking before text leaves for search, embedding or logs. Masks what identifies or charges a person
 * (emails, phone numbers, payment cards that pass the Luhn check, IBANs) and keeps what tools legitimately
 * need, such as order numbers, which look like digits but carry the shop's prefix.
 */
export type PiiType = "EMAIL" | "PHONE" | "CARD" | "IBAN";

export interface PiiSpan {
  type: PiiType;
  start: number;
  end: number;
  value: string;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b/g;
const CARD = /\b(?:\d[ -]?){12,18}\d\b/g;
const PHONE = /(?:\+|\b00)?\(?\d{1,4}\)?(?:[ .-]?\(?\d{2,4}\)?){2,5}\b/g;

export function findPii(text: string): PiiSpan[] {
  const spans: PiiSpan[] = [];
  const taken = (start: number, end: number) => spans.some((s) => start < s.end && end > s.start);
  const collect = (type: PiiType, pattern: RegExp, accept: (value: string) => boolean) => {
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (!taken(start, end) && accept(match[0])) spans.push({ type, start, end, value: match[0] });
    }
  };
  collect("EMAIL", EMAIL, () => true);
  collect("IBAN", IBAN, (v) => ibanValid(v));
  collect("CARD", CARD, (v) => luhnValid(v.replace(/\D/g, "")));
  collect("PHONE", PHONE, (v) => looksLikePhone(v));
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

function looksLikePhone(value: string): boolean {
  const digits = value.replace(/\D/g, "");
  // Order numbers and years are digit runs without separators; phone numbers have 7-15 digits and usually a
  // separator or an international prefix.
  if (digits.length < 7 || digits.length > 15) return false;
  return /[ .()-]/.test(value.trim()) || value.trim().startsWith("+");
}
