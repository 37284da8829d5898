/**
 * Text hygiene, the one rule for every string that comes from outside (HTTP bodies, sign-in claims, tool
 * arguments from the Brain, knowledge-base files, webhooks): line breaks are normalised to \n, the text is
 * NFC-normalised, and NUL and the other C0 control characters except \n and \t are not text. Postgres refuses
 * a NUL in text ("invalid byte sequence for encoding UTF8: 0x00"), so a NUL that got through would fail a query
 * for reasons of the caller's data, not of the database. Lone UTF-16 surrogates (JSON can spell them as
 * "\ud800") are not text either.
 *
 * Two ways to apply it: `strictText` refuses such input (HTTP, webhooks: the sender gets a 400), `cleanText`
 * strips it (the Brain's arguments and documents, where refusing helps nobody). `strictString` and
 * `cleanString` are the same rules as zod schemas, for the boundary schemas in core/contracts and core/hands.
 */
import { z } from "zod";

/** C0 controls except \t (09) and \n (0A), plus DEL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** \r\n and lone \r become \n; then NFC. Applied before either check, so "\r\n" from a form is fine. */
function normalise(text: string): string {
  return text.replace(/\r\n?/g, "\n").normalize("NFC");
}

/** Why `text` is not acceptable as it stands, or null when it is (after line-break normalisation). */
export function textProblem(text: string): string | null {
  const normal = text.replace(/\r\n?/g, "\n");
  if (CONTROL.test(normal)) return "contains a control character";
  if (!normal.isWellFormed()) return "contains malformed Unicode";
  return null;
}

/** The text normalised, or null when it holds control characters or malformed Unicode. */
export function strictText(text: string): string | null {
  return textProblem(text) === null ? normalise(text) : null;
}

/** The text normalised, with control characters and lone surrogates removed. */
export function cleanText(text: string): string {
  return normalise(text.replace(LONE_SURROGATE, "").replace(/\r\n?/g, "\n").replace(CONTROLS, ""));
}

/** Every string inside a JSON-like value cleaned (keys too), for tool arguments before their schema. */
export function cleanStrings(value: unknown): unknown {
  if (typeof value === "string") return cleanText(value);
  if (Array.isArray(value)) return value.map(cleanStrings);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanStrings(v)]));
  }
  return value;
}

/** A string schema that refuses control characters and malformed Unicode and yields NFC text. */
export function strictString() {
  return z
    .string()
    .superRefine((value, ctx) => {
      const problem = textProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform(normalise);
}

/**
 * A string schema that strips control characters and malformed Unicode (NFC). An `overwrite`, not a
 * transform, so JSON schemas generated from it for the Brain's tool specs keep the plain string type.
 */
export function cleanString() {
  return z.string().overwrite(cleanText);
}
