/**
 * One circuit breaker per tool, shared by every request and isolate: a Durable Object named after the tool
 * holds the state (core/orchestrator/breaker.ts decides). Threads ask before an inline tool call and report
 * failures, and successes while half-open.
 */
import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import {
  admit,
  type BreakerState,
  closedBreaker,
  defaultBreakerConfig,
  recordOutcome,
} from "../core/orchestrator/breaker.ts";

const stateSchema: z.ZodType<BreakerState> = z.discriminatedUnion("status", [
  z.object({ status: z.literal("closed"), failures: z.array(z.number()) }),
  z.object({ status: z.literal("open"), openedAt: z.number() }),
  z.object({ status: z.literal("half_open"), probeStartedAt: z.number().nullable() }),
]);

export class Breaker extends DurableObject<Env> {
  #state: BreakerState = closedBreaker;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS breaker (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL)",
    );
    const row = ctx.storage.sql.exec<{ state: string }>("SELECT state FROM breaker").toArray()[0];
    if (row) this.#state = stateSchema.parse(JSON.parse(row.state));
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

  #save(next: BreakerState): void {
    if (next === this.#state) return;
    this.#state = next;
    this.ctx.storage.sql.exec(
      "INSERT INTO breaker (id, state) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state",
      JSON.stringify(next),
    );
  }
}
