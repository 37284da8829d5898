/**
 * The languages the widget speaks and the help centre may be written in. Shared by the brains (per-message
 * detection), kb-loader (a document's `language`) and search (the visitor's language picks the documents).
 */
import { z } from "zod";

export const languageSchema = z.enum(["en", "es", "de", "fr"]);
export type Language = z.infer<typeof languageSchema>;
export const languages: readonly Language[] = languageSchema.options;
