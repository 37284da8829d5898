/**
 * The deployment's settings: every key the Worker reads (vars and secrets), parsed once per isolate into one
 * typed AppConfig, with a list of named problems for anything invalid. A problem never stops the agent: it
 * switches its own feature off (a half-configured model means the offline brain, a broken order source means
 * order lookups degrade to a ticket) and is reported by /readyz and `npm start` by key name, never by value.
 * Adapters receive this object, never `env`. Everything has a safe default, so a fresh clone needs no settings.
 */
import type { z } from "zod";
import { channelSchema } from "./contracts/thread.ts";
import { toolNameSchema } from "./hands/registry.ts";
import { parseWooCommerceConfig, type WooCommerceConfig } from "./hands/woocommerce-orders.ts";
import type { LogLevel } from "./log.ts";
import type { BudgetCaps } from "./orchestrator/budget.ts";
import { embedderSettingsSchema } from "./retrieval/embedder-config.ts";

/** Every setting the Worker reads; .dev.vars.example documents each one (a test keeps the two in sync). */
export const SETTING_KEYS = [
  "LLM_BASE_URL",
  "LLM_API_KEY",
  "LLM_MODEL",
  "LLM_FALLBACK_MODEL",
  "LLM_COST_INPUT_PER_MTOK",
  "LLM_COST_OUTPUT_PER_MTOK",
  "THREAD_DAILY_TOKENS",
  "SITE_DAILY_TOKENS",
  "SITE_DAILY_COST",
  "SHOP_NAME",
  "SUPPORT_HOURS",
  "SUPPORT_SCHEDULE",
  "HANDOFF_WAIT_MINUTES",
  "PUBLIC_URL",
  "ACCESS_TEAM_DOMAIN",
  "ACCESS_AUD",
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_CHANNEL_ID",
  "SLACK_API_URL",
  "ALLOWED_LINK_HOSTS",
  "ALLOWED_ORIGINS",
  "ENABLED_TOOLS",
  "ENABLED_CHANNELS",
  "LOG_LEVEL",
  "KB_MAX_AGE_HOURS",
  "ORDER_LOOKUP_FAILURES_PER_HOUR",
  "RETENTION_DAYS",
  "ADMIN_TOKEN",
  "SLACK_WEBHOOK_URL",
  "IDENTITY_SECRET",
  "IDENTITY_ISSUER",
  "IDENTITY_AUDIENCE",
  "ORDER_SOURCE",
  "WOOCOMMERCE_URL",
  "WOOCOMMERCE_CONSUMER_KEY",
  "WOOCOMMERCE_CONSUMER_SECRET",
  "WOOCOMMERCE_ORDER_PREFIX",
  "WOOCOMMERCE_AUTH",
  "EMBEDDINGS_PROVIDER",
  "EMBEDDINGS_BASE_URL",
  "EMBEDDINGS_MODEL",
  "EMBEDDINGS_API_KEY",
  "EMBEDDINGS_DIMENSIONS",
  "EMBEDDINGS_SEND_DIMENSIONS",
  "EMBEDDINGS_BATCH_SIZE",
  "SUPPORT_EMAIL",
  "EMAIL_AUTHSERV_ID",
  "MAIL_OUTBOX_URL",
  "WEBHOOKS_ALLOW_LOOPBACK",
  "WEBHOOK_RETRY_BASE_SECONDS",
] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

/** Keys whose values are secrets (wrangler.jsonc `secrets.required`): scrubbed from anything a visitor sees. */
export const SECRET_KEYS = [
  "LLM_API_KEY",
  "ADMIN_TOKEN",
  "SLACK_WEBHOOK_URL",
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "IDENTITY_SECRET",
  "WOOCOMMERCE_CONSUMER_KEY",
  "WOOCOMMERCE_CONSUMER_SECRET",
  "EMBEDDINGS_API_KEY",
] as const satisfies readonly SettingKey[];

export const MIN_ADMIN_TOKEN_CHARS = 16;
export const MIN_IDENTITY_SECRET_BYTES = 32;

/** A setting that could not be used: the key and why, never its value. */
export interface ConfigProblem {
  key: SettingKey;
  problem: string;
}

export interface LlmConfig {
  baseURL: string;
  apiKey: string;
  primaryModel: string;
  fallbackModel: string | null;
}

export interface IdentityConfig {
  secret: string;
  /** The site that signs, e.g. "https://shop.example" (WordPress home_url()). */
  issuer: string;
  /** This agent as the site names it, e.g. "https://agent.shop.example" (the plugin's agent URL). */
  audience: string;
}

/** Where get_order reads orders; `unavailable` when the configured source is incomplete. */
export type OrdersConfig =
  | { source: "postgres" }
  | { source: "woocommerce"; woocommerce: WooCommerceConfig }
  | { source: "unavailable" };

export type EmbeddingsConfig =
  | { provider: "none" }
  | {
      provider: "openai";
      baseURL: string;
      apiKey: string;
      model: string;
      dimensions: number;
      sendDimensions: boolean;
      batchSize: number;
    }
  | { provider: "workers-ai"; model: string; dimensions: number };

export interface AppConfig {
  /** null: the offline brain. */
  llm: LlmConfig | null;
  costPerMTok: { input: number; output: number };
  /** Daily model budgets, per thread and per site; past one the offline brain answers and says so. */
  budget: BudgetCaps;
  shop: { name: string; supportHours: string };
  allowedLinkHosts: string[];
  /** Sites that may call the API from a browser (normalised origins). */
  allowedOrigins: string[];
  enabledTools: z.infer<typeof toolNameSchema>[];
  enabledChannels: z.infer<typeof channelSchema>[];
  slackWebhookUrl: string | null;
  logLevel: LogLevel;
  /** Older than this, the help centre counts as stale and search_kb is switched off; 0 = never stale. */
  kbMaxAgeHours: number;
  /** Bearer token of the admin endpoints; null switches them off. */
  adminToken: string | null;
  /** Sign-in tokens from the site; null refuses every token. */
  identity: IdentityConfig | null;
  orders: OrdersConfig;
  /**
   * Failed ownership checks of get_order allowed per hour for each email, sign-in and thread; past it every
   * lookup for that key gets the neutral "couldn't find" answer without reaching the order source.
   */
  orderLookupFailuresPerHour: number;
  /** Conversations idle for longer than this are deleted by the daily cron; 0 keeps them forever. */
  retentionDays: number;
  embeddings: EmbeddingsConfig;
  email: EmailConfig;
  webhooks: WebhooksConfig;
  /** Secret values to scrub from anything shown to visitors. */
  secrets: string[];
}

/** The email channel: where replies come from, whose DMARC verdict counts, and the local outbox. */
export interface EmailConfig {
  /** The support address (lower case); null when SUPPORT_EMAIL is not an address: no email is answered. */
  address: string | null;
  /** The authserv-id whose Authentication-Results are trusted (lower case). */
  authServId: string;
  /** Local only: every sent email is also POSTed here as message/rfc822. */
  outboxUrl: string | null;
}

export interface WebhooksConfig {
  /** Plain http to 127.0.0.1, localhost or [::1] is allowed (local runs and tests); otherwise https only. */
  allowLoopbackHttp: boolean;
  /** Seconds before the first retry of a failed delivery; each later one waits twice as long. */
  retryBaseSeconds: number;
  /** PUBLIC_URL without a trailing slash, for the console link in each event; null: no link. */
  publicUrl: string | null;
}

export interface LoadedConfig {
  config: AppConfig;
  /** Empty when every setting is usable. */
  problems: ConfigProblem[];
  /** Names of the secrets that are set (for /readyz: which features a deployment has keys for). */
  secretsSet: SecretKey[];
}

export type SecretKey = (typeof SECRET_KEYS)[number];

const WORKERS_AI_DEFAULT_MODEL = "@cf/baai/bge-small-en-v1.5";

const cache = new WeakMap<object, LoadedConfig>();

/**
 * The parsed settings of an environment, computed once per env object (once per isolate in the Worker).
 * @example const { config, problems } = loadConfig(env);
 * @param bindings which optional bindings exist (Workers AI for EMBEDDINGS_PROVIDER=workers-ai)
 */
export function loadConfig(env: object): LoadedConfig {
  let loaded = cache.get(env);
  if (!loaded) {
    loaded = parseConfig(readSettings(env), { ai: hasBinding(env, "AI") });
    cache.set(env, loaded);
  }
  return loaded;
}

/** The string-valued settings of an environment: Worker env, process.env or a plain object. */
export function readSettings(env: object): Partial<Record<SettingKey, string>> {
  const out: Partial<Record<SettingKey, string>> = {};
  for (const key of SETTING_KEYS) {
    const value: unknown = Reflect.get(env, key);
    if (typeof value === "string" && value.trim() !== "") out[key] = value.trim();
  }
  return out;
}

/** Parses settings into a usable config plus the problems found; pure, for tests and Node tools. */
export function parseConfig(
  s: Partial<Record<SettingKey, string>>,
  bindings: { ai: boolean } = { ai: false },
): LoadedConfig {
  const problems: ConfigProblem[] = [];
  const problem = (key: SettingKey, text: string) => problems.push({ key, problem: text });

  const url = (key: SettingKey): string | null => {
    const value = s[key];
    if (value === undefined) return null;
    if (!isHttpUrl(value)) {
      problem(key, "is not an http(s) URL");
      return null;
    }
    return value;
  };
  const number = (key: SettingKey, fallback: number): number => {
    const value = s[key];
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) {
      problem(key, "is not a non-negative number");
      return fallback;
    }
    return n;
  };
  const list = <T extends string>(key: SettingKey, allowed: readonly T[]): T[] => {
    const items = (s[key] ?? "")
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean);
    const known = items.filter((v): v is T => (allowed as readonly string[]).includes(v));
    if (known.length < items.length) problem(key, `has entries that are not one of ${allowed.join(", ")}`);
    return known.length > 0 ? known : [...allowed];
  };

  const llm = llmConfig(s, url, problem);

  const logLevel = s.LOG_LEVEL ?? "info";
  const logLevels = ["debug", "info", "warn", "error"] as const;
  const level = logLevels.find((l) => l === logLevel);
  if (!level) problem("LOG_LEVEL", "is not one of debug, info, warn, error");

  const adminToken = s.ADMIN_TOKEN ?? null;
  if (adminToken !== null && adminToken.length < MIN_ADMIN_TOKEN_CHARS)
    problem("ADMIN_TOKEN", `is shorter than ${MIN_ADMIN_TOKEN_CHARS} characters; admin endpoints are off`);

  const slackWebhookUrl = url("SLACK_WEBHOOK_URL");

  const config: AppConfig = {
    llm,
    costPerMTok: {
      input: number("LLM_COST_INPUT_PER_MTOK", 0),
      output: number("LLM_COST_OUTPUT_PER_MTOK", 0),
    },
    budget: {
      threadDailyTokens: Math.floor(number("THREAD_DAILY_TOKENS", 100_000)),
      siteDailyTokens: Math.floor(number("SITE_DAILY_TOKENS", 10_000_000)),
      siteDailyCost: number("SITE_DAILY_COST", 0),
    },
    shop: {
      name: s.SHOP_NAME ?? "Fernhill Outfitters",
      supportHours: s.SUPPORT_HOURS ?? "Monday to Friday, 08:00-18:00 CET",
    },
    allowedLinkHosts: (s.ALLOWED_LINK_HOSTS ?? "")
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean),
    allowedOrigins: allowedOrigins(s.ALLOWED_ORIGINS, problem),
    enabledTools: list("ENABLED_TOOLS", toolNameSchema.options),
    enabledChannels: list("ENABLED_CHANNELS", channelSchema.options),
    slackWebhookUrl,
    logLevel: level ?? "info",
    kbMaxAgeHours: number("KB_MAX_AGE_HOURS", 720),
    adminToken: adminToken !== null && adminToken.length >= MIN_ADMIN_TOKEN_CHARS ? adminToken : null,
    identity: identityConfig(s, problem),
    orders: ordersConfig(s, problem),
    orderLookupFailuresPerHour: Math.floor(number("ORDER_LOOKUP_FAILURES_PER_HOUR", 5)),
    retentionDays: number("RETENTION_DAYS", 365),
    embeddings: embeddingsConfig(s, bindings, problem),
    email: emailConfig(s, url, problem),
    webhooks: {
      allowLoopbackHttp: s.WEBHOOKS_ALLOW_LOOPBACK === "true",
      retryBaseSeconds: number("WEBHOOK_RETRY_BASE_SECONDS", 30),
      // An invalid PUBLIC_URL is reported by the staff settings that own it; here it only means no link.
      publicUrl: s.PUBLIC_URL && isHttpUrl(s.PUBLIC_URL) ? s.PUBLIC_URL.replace(/\/+$/, "") : null,
    },
    secrets: SECRET_KEYS.map((k) => s[k]).filter((v): v is string => v !== undefined && v.length >= 8),
  };
  return { config, problems, secretsSet: SECRET_KEYS.filter((k) => s[k] !== undefined) };
}

function emailConfig(
  s: Partial<Record<SettingKey, string>>,
  url: (key: SettingKey) => string | null,
  problem: (key: SettingKey, text: string) => void,
): EmailConfig {
  const raw = (s.SUPPORT_EMAIL ?? "support@fernhill.example").toLowerCase();
  const address = /^[a-z0-9._%-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/.test(raw) ? raw : null;
  if (!address) problem("SUPPORT_EMAIL", "is not a plain address (no +tag); emails are not answered");
  return {
    address,
    authServId: (s.EMAIL_AUTHSERV_ID ?? "mx.cloudflare.net").toLowerCase(),
    outboxUrl: url("MAIL_OUTBOX_URL"),
  };
}

function llmConfig(
  s: Partial<Record<SettingKey, string>>,
  url: (key: SettingKey) => string | null,
  problem: (key: SettingKey, text: string) => void,
): LlmConfig | null {
  const baseURL = url("LLM_BASE_URL");
  const model = s.LLM_MODEL ?? null;
  if (baseURL && !model) problem("LLM_MODEL", "is required with LLM_BASE_URL; using the offline brain");
  if (model && !baseURL && s.LLM_BASE_URL === undefined)
    problem("LLM_BASE_URL", "is required with LLM_MODEL; using the offline brain");
  if (!baseURL || !model) return null;
  return {
    baseURL,
    // The client refuses an empty key even for local servers that ignore it.
    apiKey: s.LLM_API_KEY ?? "not-needed",
    primaryModel: model,
    fallbackModel: s.LLM_FALLBACK_MODEL ?? null,
  };
}

function allowedOrigins(raw: string | undefined, problem: (key: SettingKey, text: string) => void) {
  const out = new Set<string>();
  const entries = (raw ?? "").split(/[\s,]+/).filter(Boolean);
  entries.forEach((entry, i) => {
    if (isHttpUrl(entry)) out.add(new URL(entry).origin);
    else problem("ALLOWED_ORIGINS", `entry ${i + 1} is not an http(s) origin; it is ignored`);
  });
  return [...out];
}

function identityConfig(
  s: Partial<Record<SettingKey, string>>,
  problem: (key: SettingKey, text: string) => void,
): IdentityConfig | null {
  const keys = ["IDENTITY_SECRET", "IDENTITY_ISSUER", "IDENTITY_AUDIENCE"] as const;
  const missing = keys.filter((k) => s[k] === undefined);
  if (missing.length === keys.length) return null;
  for (const key of missing) problem(key, "is required with the other IDENTITY_* settings; sign-in is off");
  const secret = s.IDENTITY_SECRET;
  const short =
    secret !== undefined && new TextEncoder().encode(secret).byteLength < MIN_IDENTITY_SECRET_BYTES;
  if (short) problem("IDENTITY_SECRET", `is shorter than ${MIN_IDENTITY_SECRET_BYTES} bytes; sign-in is off`);
  if (missing.length > 0 || short || secret === undefined) return null;
  return { secret, issuer: s.IDENTITY_ISSUER ?? "", audience: s.IDENTITY_AUDIENCE ?? "" };
}

function ordersConfig(
  s: Partial<Record<SettingKey, string>>,
  problem: (key: SettingKey, text: string) => void,
): OrdersConfig {
  const source = (s.ORDER_SOURCE ?? "postgres").toLowerCase();
  if (source === "postgres") return { source: "postgres" };
  if (source !== "woocommerce") {
    problem("ORDER_SOURCE", "is not postgres or woocommerce; order lookups are off");
    return { source: "unavailable" };
  }
  const parsed = parseWooCommerceConfig(s);
  if (!parsed.ok) {
    for (const p of parsed.problems) problem(p.key, `${p.problem}; order lookups are off`);
    return { source: "unavailable" };
  }
  return { source: "woocommerce", woocommerce: parsed.value };
}

function embeddingsConfig(
  s: Partial<Record<SettingKey, string>>,
  bindings: { ai: boolean },
  problem: (key: SettingKey, text: string) => void,
): EmbeddingsConfig {
  const parsed = embedderSettingsSchema.safeParse(s);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = SETTING_KEYS.find((k) => k === issue.path[0]) ?? "EMBEDDINGS_PROVIDER";
      problem(key, "is not valid; the index is searched lexically only");
    }
    return { provider: "none" };
  }
  const e = parsed.data;
  if (e.EMBEDDINGS_PROVIDER === "workers-ai") {
    if (!bindings.ai) {
      problem("EMBEDDINGS_PROVIDER", 'is "workers-ai" but wrangler.jsonc has no AI binding');
      return { provider: "none" };
    }
    return {
      provider: "workers-ai",
      model: e.EMBEDDINGS_MODEL ?? WORKERS_AI_DEFAULT_MODEL,
      dimensions: e.EMBEDDINGS_DIMENSIONS,
    };
  }
  if (!e.EMBEDDINGS_BASE_URL && !e.EMBEDDINGS_MODEL) return { provider: "none" };
  if (!e.EMBEDDINGS_BASE_URL || !e.EMBEDDINGS_MODEL) {
    problem(
      e.EMBEDDINGS_BASE_URL ? "EMBEDDINGS_MODEL" : "EMBEDDINGS_BASE_URL",
      "is required with the other; the index is searched lexically only",
    );
    return { provider: "none" };
  }
  return {
    provider: "openai",
    baseURL: e.EMBEDDINGS_BASE_URL,
    apiKey: e.EMBEDDINGS_API_KEY,
    model: e.EMBEDDINGS_MODEL,
    dimensions: e.EMBEDDINGS_DIMENSIONS,
    sendDimensions: e.EMBEDDINGS_SEND_DIMENSIONS,
    batchSize: e.EMBEDDINGS_BATCH_SIZE,
  };
}

function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  return URL.canParse(value);
}

function hasBinding(env: object, name: string): boolean {
  const value: unknown = Reflect.get(env, name);
  return typeof value === "object" && value !== null;
}
