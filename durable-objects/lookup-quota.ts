/**
 * The get_order lookup quota (core/hands/ports.ts LookupQuota): one Durable Object per key (a hashed email, a
 * sign-in, a thread), so every isolate and thread counts the same failed ownership checks. Each holds the
 * times of its failures in the last hour and nothing else; it writes nothing until a first failure, and an
 * alarm deletes its storage once the hour has passed, so a key costs storage only while it is being counted.
 * Built by durable-objects/turn-port.ts; get_order calls it through the port.
 */
import { DurableObject } from "cloudflare:workers";
import type { LookupQuota as LookupQuotaPort } from "../core/hands/ports.ts";

export const LOOKUP_WINDOW_MS = 60 * 60 * 1000;

export class LookupQuota extends DurableObject<Env> {
  /** Failures within the window. */
  failures(now = Date.now()): number {
    if (!this.#exists()) return 0;
    const row = this.ctx.storage.sql
      .exec<{ n: number }>("SELECT COUNT(*) AS n FROM failures WHERE at > ?", now - LOOKUP_WINDOW_MS)
      .one();
    return row.n;
  }

  async fail(now = Date.now()): Promise<number> {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS failures (at INTEGER NOT NULL)");
    this.ctx.storage.sql.exec("INSERT INTO failures (at) VALUES (?)", now);
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(now + LOOKUP_WINDOW_MS);
    return this.failures(now);
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    if (!this.#exists()) return;
    this.ctx.storage.sql.exec("DELETE FROM failures WHERE at <= ?", now - LOOKUP_WINDOW_MS);
    const oldest = this.ctx.storage.sql
      .exec<{ at: number | null }>("SELECT MIN(at) AS at FROM failures")
      .one().at;
    if (oldest === null) await this.ctx.storage.deleteAll();
    else await this.ctx.storage.setAlarm(oldest + LOOKUP_WINDOW_MS);
  }

  #exists(): boolean {
    return (
      this.ctx.storage.sql
        .exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'failures'")
        .toArray().length > 0
    );
  }
}

/** The port over the LookupQuota namespace; `limit` failures an hour per key, 0 switching the quota off. */
export function lookupQuotaPort(
  namespace: DurableObjectNamespace<LookupQuota>,
  limit: number,
): LookupQuotaPort {
  return {
    async exhausted(keys) {
      if (limit <= 0) return false;
      const counts = await Promise.all(keys.map((key) => namespace.getByName(key).failures()));
      return counts.some((n) => n >= limit);
    },
    async failed(keys) {
      if (limit <= 0) return;
      await Promise.all(keys.map((key) => namespace.getByName(key).fail()));
    },
  };
}
