/**
 * What the model cost today, per thread and for the whole site: one Durable Object per scope and UTC day
 * (`site:2026-12-02`, `thread:<id>:2026-12-02`), holding tokens and cost. Turns read both before their first
 * model call and add what they spent at their end (core/orchestrator/budget.ts decides). A meter writes
 * nothing until something is spent, and deletes itself a day after its day ended. Turns use them through
 * ./spend-meters.ts, which keeps the hot path free of meter round trips.
 */
import { DurableObject } from "cloudflare:workers";
import { noSpend, type Spent, spendDay } from "../core/orchestrator/budget.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

export class SpendMeter extends DurableObject<Env> {
  spent(): Spent {
    if (!this.#exists()) return noSpend;
    const row = this.ctx.storage.sql
      .exec<{ tokens: number; cost: number }>("SELECT tokens, cost FROM spend WHERE id = 1")
      .toArray()[0];
    return row ? { tokens: row.tokens, cost: row.cost } : noSpend;
  }

  async add(spent: Spent): Promise<Spent> {
    this.ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS spend (id INTEGER PRIMARY KEY CHECK (id = 1), tokens INTEGER NOT NULL, cost REAL NOT NULL)",
    );
    this.ctx.storage.sql.exec(
      "INSERT INTO spend (id, tokens, cost) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET tokens = tokens + excluded.tokens, cost = cost + excluded.cost",
      Math.round(spent.tokens),
      spent.cost,
    );
    if ((await this.ctx.storage.getAlarm()) === null) {
      const endOfDay = Date.parse(`${spendDay(Date.now())}T00:00:00Z`) + DAY_MS;
      await this.ctx.storage.setAlarm(endOfDay + DAY_MS);
    }
    return this.spent();
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  #exists(): boolean {
    return (
      this.ctx.storage.sql
        .exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'spend'")
        .toArray().length > 0
    );
  }
}
