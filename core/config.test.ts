import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig, SECRET_KEYS, SETTING_KEYS } from "./config.ts";

const SECRET = "s3cret-value-that-must-never-show";

describe("parseConfig", () => {
  it("runs a fresh clone with no settings and no problems: offline brain, Postgres orders, lexical index", () => {
    const { config, problems } = parseConfig({});
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      llm: null,
      orders: { source: "postgres" },
      embeddings: { provider: "none" },
      identity: null,
      adminToken: null,
      logLevel: "info",
      kbMaxAgeHours: 720,
      enabledTools: ["search_kb", "get_order", "create_ticket", "handoff_human"],
    });
  });

  it("passes the model key through (not a placeholder) and keeps it among the secrets to scrub", () => {
    const { config } = parseConfig({
      LLM_BASE_URL: "https://api.example/v1",
      LLM_MODEL: "m",
      LLM_API_KEY: SECRET,
    });
    expect(config.llm).toEqual({
      baseURL: "https://api.example/v1",
      apiKey: SECRET,
      primaryModel: "m",
      fallbackModel: null,
    });
    expect(config.secrets).toContain(SECRET);
  });

  it("switches off only the feature a bad setting belongs to, and names the key but never the value", () => {
    const { config, problems } = parseConfig({
      LLM_BASE_URL: "https://api.example/v1",
      ORDER_SOURCE: "woocommerce",
      WOOCOMMERCE_CONSUMER_KEY: SECRET,
      EMBEDDINGS_MODEL: "text-embedding-3-small",
      ADMIN_TOKEN: "short-secret",
      IDENTITY_SECRET: `${SECRET}-but-long-enough-to-count`,
      LOG_LEVEL: "loud",
      KB_MAX_AGE_HOURS: "soon",
      ALLOWED_ORIGINS: "https://shop.example, javascript:alert(1), https://www.shop.example:8443/path",
      ENABLED_TOOLS: "search_kb,refund_everything",
    });
    expect(problems.map((p) => p.key).sort()).toEqual(
      [
        "ADMIN_TOKEN",
        "ALLOWED_ORIGINS",
        "EMBEDDINGS_BASE_URL",
        "ENABLED_TOOLS",
        "IDENTITY_AUDIENCE",
        "IDENTITY_ISSUER",
        "KB_MAX_AGE_HOURS",
        "LLM_MODEL",
        "LOG_LEVEL",
        "WOOCOMMERCE_CONSUMER_SECRET",
        "WOOCOMMERCE_URL",
      ].sort(),
    );
    const shown = JSON.stringify(problems);
    for (const value of [SECRET, "short-secret", "loud", "soon", "javascript", "refund_everything"])
      expect(shown).not.toContain(value);
    expect(config).toMatchObject({
      llm: null,
      orders: { source: "unavailable" },
      embeddings: { provider: "none" },
      adminToken: null,
      identity: null,
      logLevel: "info",
      kbMaxAgeHours: 720,
      allowedOrigins: ["https://shop.example", "https://www.shop.example:8443"],
      enabledTools: ["search_kb"],
    });
  });

  it("reads a complete WooCommerce, identity and embeddings configuration", () => {
    const { config, problems } = parseConfig({
      ORDER_SOURCE: "woocommerce",
      WOOCOMMERCE_URL: "https://shop.example/",
      WOOCOMMERCE_CONSUMER_KEY: "ck_x",
      WOOCOMMERCE_CONSUMER_SECRET: "cs_y",
      WOOCOMMERCE_AUTH: "query",
      IDENTITY_SECRET: "a-shared-secret-of-at-least-32-bytes!!",
      IDENTITY_ISSUER: "https://shop.example",
      IDENTITY_AUDIENCE: "https://agent.example",
      EMBEDDINGS_BASE_URL: "http://127.0.0.1:9000/v1",
      EMBEDDINGS_MODEL: "bge",
      EMBEDDINGS_SEND_DIMENSIONS: "false",
    });
    expect(problems).toEqual([]);
    expect(config.orders).toEqual({
      source: "woocommerce",
      woocommerce: {
        baseUrl: "https://shop.example",
        consumerKey: "ck_x",
        consumerSecret: "cs_y",
        orderPrefix: "",
        auth: "query",
      },
    });
    expect(config.identity?.issuer).toBe("https://shop.example");
    expect(config.embeddings).toMatchObject({ provider: "openai", model: "bge", sendDimensions: false });
  });

  it("refuses Workers AI embeddings without the AI binding", () => {
    const settings = { EMBEDDINGS_PROVIDER: "workers-ai" };
    expect(parseConfig(settings).problems).toEqual([
      { key: "EMBEDDINGS_PROVIDER", problem: expect.stringContaining("no AI binding") },
    ]);
    expect(parseConfig(settings, { ai: true }).config.embeddings).toMatchObject({ provider: "workers-ai" });
  });
});

describe("loadConfig", () => {
  it("parses an environment once, ignoring bindings and empty values", () => {
    const env = { LLM_BASE_URL: "", LOG_LEVEL: "warn", THREAD: {}, AI: { run() {} } };
    const first = loadConfig(env);
    expect(loadConfig(env)).toBe(first);
    expect(first.problems).toEqual([]);
    expect(first.config.logLevel).toBe("warn");
  });
});

describe("the settings contract", () => {
  const root = new URL("../", import.meta.url);
  const exampleKeys = [
    ...readFileSync(new URL(".dev.vars.example", root), "utf8").matchAll(/^# ([A-Z][A-Z0-9_]+)=/gm),
  ].map((m) => m[1]);
  const wrangler = JSON.parse(stripJsonComments(readFileSync(new URL("wrangler.jsonc", root), "utf8"))) as {
    vars: Record<string, string>;
    secrets: { required: string[] };
  };

  it(".dev.vars.example shows every key the code reads, once", () => {
    expect([...exampleKeys].sort()).toEqual([...SETTING_KEYS].sort());
  });

  it("wrangler.jsonc declares every key, so none is dropped from .dev.vars: secrets as secrets, the rest as vars", () => {
    expect([...wrangler.secrets.required].sort()).toEqual([...SECRET_KEYS].sort());
    const declared = new Set([...Object.keys(wrangler.vars), ...wrangler.secrets.required]);
    expect(SETTING_KEYS.filter((k) => !declared.has(k))).toEqual([]);
    // A secret declared as a var too would be a plain-text binding in production.
    expect(SECRET_KEYS.filter((k) => k in wrangler.vars)).toEqual([]);
  });
});

/** JSONC to JSON: drops // and block comments outside strings. */
function stripJsonComments(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      const end = /"(?:[^"\\]|\\.)*"/y;
      end.lastIndex = i;
      const match = end.exec(text)?.[0] ?? ch;
      out += match;
      i += match.length - 1;
    } else if (ch === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (ch === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2) + 1;
    } else out += ch;
  }
  return out;
}
