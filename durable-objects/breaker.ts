/**
 * One circuit breaker per tool, shared by every request and isolate: a Durable Object named after the tool
 * holds the state (core/orchestrator/breaker.ts decides). Threads ask before an inline tool call and report
 * failures, and successes while half-open; GET /api/admin/tools reads `view()` (the state and since when).
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import {
  admit,
  type BreakerState,
  type BreakerView,
  closedBreaker,
  defaultBreakerConfig,
  recordOutcome,
  viewBreaker,
} from "../core/orchestrator/breaker.ts";

const stateSchema: z.ZodType<BreakerState> = z.discriminatedUnion("status", [
  z.object({ status: z.literal("closed"), failures: z.array(z.number()) }),
  z.object({ status: z.literal("open"), openedAt: z.number() }),
  z.object({ status: z.literal("half_open"), probeStartedAt: z.number().nullable() }),
]);

export class Breaker extends DurableObject<Env> {
  #state: BreakerState = closedBreaker;
  /** When the status last changed (ms); null until the breaker first trips. */
  #changedAt: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS breaker (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL)",
    );
    const row = ctx.storage.sql.exec<{ state: string }>("SELECT state FROM breaker").toArray()[0];
    if (row) this.#state = stateSchema.parse(JSON.parse(row.state));
    // A table of its own, so breakers stored before it existed read back unchanged.
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS breaker_changed (id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL)",
    );
    const changed = ctx.storage.sql.exec<{ at: number }>("SELECT at FROM breaker_changed").toArray()[0];
    this.#changedAt = changed?.at ?? null;
  }

  /** Whether a call may go ahead; a half-open breaker lets one probe through. */
  admit(): { allowed: boolean; status: BreakerState["status"] } {
    const result = admit(this.#state, Date.now(), defaultBreakerConfig);
    this.#save(result.state);
    return { allowed: result.allowed, status: result.state.status };
  }

  report(ok: boolean): BreakerState["status"] {
    this.#save(recordOutcome(this.#state, ok, Date.now(), defaultBreakerConfig));
    return this.#state.status;
  }

  status(): BreakerState {
    return this.#state;
  }

  /** The state a call made now would meet, for ops (nothing is moved or written). */
  view(): BreakerView {
    return viewBreaker(this.#state, this.#changedAt, Date.now(), defaultBreakerConfig);
  }

  #save(next: BreakerState): void {
    if (next === this.#state) return;
    if (next.status !== this.#state.status) {
      this.#changedAt = Date.now();
      this.ctx.storage.sql.exec(
        "INSERT INTO breaker_changed (id, at) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET at = excluded.at",
        this.#changedAt,
      );
    }
    this.#state = next;
    this.ctx.storage.sql.exec(
      "INSERT INTO breaker (id, state) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state",
      JSON.stringify(next),
    );
  }
}
