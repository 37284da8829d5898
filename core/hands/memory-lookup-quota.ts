/**
 * The get_order lookup quota in memory, with the same rule as the LookupQuota Durable Objects
 * (durable-objects/lookup-quota.ts): `limit` failed lookups per key within a sliding hour. For Node tests and
 * the turn harness; time comes in through `now`.
 */
import type { LookupQuota } from "./ports.ts";

const WINDOW_MS = 60 * 60 * 1000;

export class MemoryLookupQuota implements LookupQuota {
  readonly #failures = new Map<string, number[]>();
  readonly #limit: number;
  now: () => number;

  constructor(limit: number, now: () => number = Date.now) {
    this.#limit = limit;
    this.now = now;
  }

  async exhausted(keys: string[]): Promise<boolean> {
    if (this.#limit <= 0) return false;
    return keys.some((key) => this.#recent(key).length >= this.#limit);
  }

  async failed(keys: string[]): Promise<void> {
    for (const key of keys) this.#failures.set(key, [...this.#recent(key), this.now()]);
  }

  /** Keys counted so far, for tests that check what a quota is keyed by. */
  keys(): string[] {
    return [...this.#failures.keys()];
  }

  #recent(key: string): number[] {
    const since = this.now() - WINDOW_MS;
    return (this.#failures.get(key) ?? []).filter((t) => t > since);
  }
}
