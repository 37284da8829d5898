/**
 * GET /readyz: whether this deployment can serve visitors well, for a load balancer, a deploy check and
 * `npm start`. It reports the config problems (key names and why, never values), whether Postgres answers,
 * whether the help centre is searchable (neither empty nor stale) and, when a model is configured, whether its
 * endpoint answers; 503 when any of them fails. Results are kept a few seconds per isolate so the endpoint
 * cannot be used to hammer the database or the model provider. /healthz stays the cheap liveness check.
 */
import { sql } from "drizzle-orm";
import type { ConfigProblem, LoadedConfig, SecretKey } from "../core/config.ts";
import { openDb } from "../db/client.ts";
import { kbFreshness } from "../db/kb-freshness.ts";

const CHECK_TIMEOUT_MS = 2_000;
const CACHE_MS = 5_000;

export interface Readiness {
  ready: boolean;
  checks: {
    /** Problems by key name, and which secrets are set (names only). */
    config: { ok: boolean; problems: ConfigProblem[]; secretsSet: SecretKey[] };
    database: { ok: boolean; ms: number };
    knowledge: { ok: boolean; reason: string | null };
    /** null when no model is configured (the offline brain needs no endpoint). */
    model: { ok: boolean; ms: number; status: number | null } | null;
  };
}

let cached: { at: number; value: Readiness } | null = null;

export async function readiness(loaded: LoadedConfig, databaseUrl: string): Promise<Readiness> {
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.value;
  const { config, problems, secretsSet } = loaded;
  const [data, model] = await Promise.all([databaseChecks(databaseUrl, config), modelCheck(config)]);
  const checks: Readiness["checks"] = {
    config: { ok: problems.length === 0, problems, secretsSet },
    ...data,
    model,
  };
  const ready = checks.config.ok && checks.database.ok && checks.knowledge.ok && (model?.ok ?? true);
  const value = { ready, checks };
  cached = { at: Date.now(), value };
  return value;
}

async function databaseChecks(
  url: string,
  config: LoadedConfig["config"],
): Promise<Pick<Readiness["checks"], "database" | "knowledge">> {
  const started = Date.now();
  const { db, close } = openDb(url, { max: 1 });
  try {
    await withTimeout(db.execute(sql`select 1`));
    const ms = Date.now() - started;
    const kb = await withTimeout(kbFreshness(db, config.kbMaxAgeHours));
    return { database: { ok: true, ms }, knowledge: { ok: kb.available, reason: kb.reason } };
  } catch {
    return {
      database: { ok: false, ms: Date.now() - started },
      knowledge: { ok: false, reason: "the database did not answer" },
    };
  } finally {
    await close().catch(() => {});
  }
}

async function modelCheck(config: LoadedConfig["config"]): Promise<Readiness["checks"]["model"]> {
  if (!config.llm) return null;
  const started = Date.now();
  try {
    const response = await fetch(`${config.llm.baseURL.replace(/\/+$/, "")}/models`, {
      headers: { authorization: `Bearer ${config.llm.apiKey}` },
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return { ok: response.ok, ms: Date.now() - started, status: response.status };
  } catch {
    return { ok: false, ms: Date.now() - started, status: null };
  }
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error("readiness check timed out")), CHECK_TIMEOUT_MS),
    ),
  ]);
}
