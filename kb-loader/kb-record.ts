/**
 * What one knowledge-base document must look like before it is chunked and indexed, whatever its source
 * (Markdown/HTML front matter, a JSONL line, a WordPress post). Every source parses its raw fields with
 * `kbRecordSchema`; a record that fails is reported with its file and line and skipped.
 */
import { z } from "zod";
import { languageSchema } from "../core/contracts/language.ts";
import { cleanString } from "../core/contracts/text.ts";
import { type Channel, channelSchema } from "../core/contracts/thread.ts";

export const ALL_CHANNELS: readonly Channel[] = channelSchema.options;

/** "web, email" or ["web", "email"]; missing means every channel. */
const channelsField = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) =>
    (typeof value === "string" ? value.split(",") : (value ?? [...ALL_CHANNELS]))
      .map((c) => c.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(channelSchema).min(1, "allowed_channels names no channel"))
  .transform((channels) => [...new Set(channels)].sort());

const booleanField = z
  .union([z.boolean(), z.enum(["true", "false", "yes", "no"])])
  .optional()
  .transform((value) =>
    value === undefined ? undefined : value === true || value === "true" || value === "yes",
  );

/** ISO dates ("2026-08-05") and date-times with or without an offset (WordPress' *_gmt fields have none: UTC). */
const dateField = z
  .union([z.iso.date(), z.iso.datetime({ offset: true, local: true })])
  .nullish()
  .transform((value) => {
    if (!value) return null;
    const iso =
      /^\d{4}-\d{2}-\d{2}$/.test(value) || /(?:Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
    return new Date(iso);
  });

const idField = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\p{L}\p{N}._:/@-]+$/u, "id may hold letters, digits and . _ : / @ - only");

export const kbRecordSchema = z
  .object({
    id: idField,
    // Control characters (a NUL would fail the insert) are stripped, text is NFC: core/contracts/text.ts.
    title: cleanString().trim().max(500),
    url: z.url({ protocol: /^https?$/ }),
    text: cleanString().trim().min(1, "text is empty"),
    section: cleanString()
      .trim()
      .nullish()
      .transform((s) => s || null),
    updated_at: dateField,
    allowed_channels: channelsField,
    reviewed: booleanField,
    /** The language the text is written in; missing means English, the help centre's own language. */
    language: z
      .string()
      .trim()
      .toLowerCase()
      .optional()
      .transform((value) => value || "en")
      .pipe(languageSchema),
    /**
     * For a translation: the id of the article it translates. All versions of an article share that article's id
     * in search results and citations, and search shows the visitor's language first (db/kb-search.ts).
     */
    translation_of: idField.nullish().transform((value) => value ?? null),
  })
  .refine((r) => r.translation_of !== r.id, {
    path: ["translation_of"],
    message: "translation_of names the document itself",
  });

export type KbRecordInput = z.input<typeof kbRecordSchema>;
type ParsedRecord = z.infer<typeof kbRecordSchema>;

/** A validated document, ready for chunking. */
export interface KbRecord extends Omit<ParsedRecord, "reviewed"> {
  reviewed: boolean;
}

/** A record or line that could not be read or validated: reported by name and line, then skipped. */
export interface LoadIssue {
  location: string;
  line: number | null;
  message: string;
}

export type RecordResult = { ok: true; record: KbRecord } | { ok: false; issue: LoadIssue };

/**
 * Validates raw fields. A record without `reviewed` takes `defaultReviewed`: pointing the loader at a source is
 * the operator's act of publishing it, and drafts say `reviewed: false` (WordPress: only published posts).
 */
export function parseRecord(
  raw: unknown,
  where: { location: string; line: number | null },
  defaultReviewed: boolean,
): RecordResult {
  const parsed = kbRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((issue) => `${issue.path.join(".") || "record"}: ${issue.message}`)
      .join("; ");
    return { ok: false, issue: { ...where, message } };
  }
  return { ok: true, record: { ...parsed.data, reviewed: parsed.data.reviewed ?? defaultReviewed } };
}

/**
 * Reads a flat front-matter block (`---` lines around `key: value` lines) as in demo/help-centre. Returns null
 * fields when the text has no block. Values may be quoted; keys are lower-cased.
 */
export function parseFrontMatter(text: string): {
  fields: Record<string, string>;
  body: string;
  bodyLine: number;
} {
  const normalised = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const match = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(normalised);
  if (!match) return { fields: {}, body: normalised, bodyLine: 1 };
  const fields: Record<string, string> = {};
  for (const line of (match[1] ?? "").split("\n")) {
    const pair = /^\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$/.exec(line);
    if (!pair?.[1]) continue;
    fields[pair[1].toLowerCase()] = unquote(pair[2] ?? "");
  }
  return {
    fields,
    body: normalised.slice(match[0].length),
    bodyLine: match[0].split("\n").length,
  };
}

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? (quoted[2] ?? "") : value;
}
