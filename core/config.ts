/**
 * Deployment settings, parsed from the Worker's environment once per request (or turn). Everything has a safe
 * default so a fresh clone runs with no configuration: no model means the offline brain.
 */
import { z } from "zod";
import { channelSchema } from "./contracts/thread.ts";
import { toolNameSchema } from "./hands/registry.ts";

const list = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .optional()
    .transform((s) =>
      (s ?? "")
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

const optionalText = z
  .string()
  .optional()
  .transform((s) => (s?.trim() ? s.trim() : null));

const number = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((s) => (s?.trim() ? Number(s) : fallback))
    .pipe(z.number().nonnegative());

export const configSchema = z.object({
  LLM_BASE_URL: optionalText.pipe(z.url().nullable()),
  LLM_API_KEY: optionalText,
  LLM_MODEL: optionalText,
  LLM_FALLBACK_MODEL: optionalText,
  LLM_COST_INPUT_PER_MTOK: number(0),
  LLM_COST_OUTPUT_PER_MTOK: number(0),
  SHOP_NAME: z.string().default("Fernhill Outfitters"),
  SUPPORT_HOURS: z.string().default("Monday to Friday, 08:00-18:00 CET"),
  ALLOWED_LINK_HOSTS: list(z.string().min(1)),
  ENABLED_TOOLS: list(toolNameSchema),
  ENABLED_CHANNELS: list(channelSchema),
  SLACK_WEBHOOK_URL: optionalText.pipe(z.url().nullable()),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Older than this, the help centre counts as stale and search_kb is switched off; 0 = never stale. */
  KB_MAX_AGE_HOURS: number(720),
  ADMIN_TOKEN: optionalText,
});

export type RawConfig = z.input<typeof configSchema>;

export interface AppConfig {
  llm: { baseURL: string; apiKey: string; primaryModel: string; fallbackModel: string | null } | null;
  costPerMTok: { input: number; output: number };
  shop: { name: string; supportHours: string };
  allowedLinkHosts: string[];
  enabledTools: z.infer<typeof toolNameSchema>[];
  enabledChannels: z.infer<typeof channelSchema>[];
  slackWebhookUrl: string | null;
  logLevel: "debug" | "info" | "warn" | "error";
  kbMaxAgeHours: number;
  /** Bearer token of the admin endpoints; null switches them off. */
  adminToken: string | null;
  /** Secret values to scrub from anything shown to visitors. */
  secrets: string[];
}

/** Secret values never shown to a visitor, whatever the model writes. */
const SECRET_KEYS = [
  "LLM_API_KEY",
  "ADMIN_TOKEN",
  "EMBEDDINGS_API_KEY",
  "SLACK_WEBHOOK_URL",
  "IDENTITY_SECRET",
  "WOOCOMMERCE_CONSUMER_KEY",
  "WOOCOMMERCE_CONSUMER_SECRET",
] as const;

export function parseConfig(env: object): AppConfig {
  const c = configSchema.parse(pickStrings(env, Object.keys(configSchema.shape)));
  const secretValues = pickStrings(env, SECRET_KEYS);
  const llm =
    c.LLM_BASE_URL && c.LLM_MODEL
      ? {
          baseURL: c.LLM_BASE_URL,
          // The client refuses an empty key even for local servers that ignore it.
          apiKey: c.LLM_API_KEY ?? "not-needed",
          primaryModel: c.LLM_MODEL,
          fallbackModel: c.LLM_FALLBACK_MODEL,
        }
      : null;
  return {
    llm,
    costPerMTok: { input: c.LLM_COST_INPUT_PER_MTOK, output: c.LLM_COST_OUTPUT_PER_MTOK },
    shop: { name: c.SHOP_NAME, supportHours: c.SUPPORT_HOURS },
    allowedLinkHosts: c.ALLOWED_LINK_HOSTS,
    enabledTools: c.ENABLED_TOOLS.length > 0 ? c.ENABLED_TOOLS : [...toolNameSchema.options],
    enabledChannels: c.ENABLED_CHANNELS.length > 0 ? c.ENABLED_CHANNELS : [...channelSchema.options],
    slackWebhookUrl: c.SLACK_WEBHOOK_URL,
    logLevel: c.LOG_LEVEL,
    kbMaxAgeHours: c.KB_MAX_AGE_HOURS,
    adminToken: c.ADMIN_TOKEN && c.ADMIN_TOKEN.length >= 16 ? c.ADMIN_TOKEN : null,
    secrets: Object.values(secretValues).filter((s) => s.length >= 8),
  };
}

function pickStrings(env: object, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value: unknown = Reflect.get(env, key);
    if (typeof value === "string") out[key] = value;
  }
  return out;
}

/** The string-valued settings of an environment (Worker bindings include objects too). */
export function stringSettings(env: object): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}
