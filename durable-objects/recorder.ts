/**
 * Gets a thread's records into Postgres, in order, from the outbox the thread writes them to (atomically with
 * the messages they describe). Like a bounded work queue: one flush at a time, each record tried until it is
 * written; a record Postgres refuses for its data is tried a few times, then stored as a dead letter and logged
 * as an error; only upstream faults (unreachable, overloaded, timed out) are retried, with capped exponential
 * backoff, and after a week of them a record is parked until the thread is next used, so nothing is retried
 * forever. The thread's alarm calls `flush` when a retry is due. Talks to its host only through RecorderPorts.
 */
import type { Logger } from "../core/log.ts";
import type { OutboxRow, ThreadStore } from "./thread-store.ts";

export const RECORDER_LIMITS = {
  /** Tries for a record Postgres refuses for its data before it becomes a dead letter. */
  dataAttempts: 3,
  dataBackoffMs: [1_000, 5_000],
  upstreamBackoffMs: { first: 1_000, max: 60_000 },
  /** About a week of upstream failures at the capped backoff. */
  upstreamAttempts: 10_000,
  writeTimeoutMs: 10_000,
} as const;

export type Fault = { fault: "upstream" | "data"; code: string };

export interface RecordSink {
  write(record: unknown): Promise<void>;
  deadLetter(row: OutboxRow, failure: Fault, attempts: number): Promise<void>;
  /** Which kind of failure an error from `write` or `deadLetter` is. */
  classify(error: unknown): Fault;
}

export interface RecorderPorts {
  store: Pick<ThreadStore, "outbox" | "removeFromOutbox" | "deferOutbox">;
  sink: RecordSink;
  now(): number;
  /** Asks to be flushed again at this time (the Durable Object alarm). */
  wake(at: number): void;
  log: Logger;
}

interface Tracked extends OutboxRow {
  /** Its data was refused often enough: only the dead letter is left to write. */
  dead: boolean;
  parked: boolean;
}

export class Recorder {
  readonly #ports: RecorderPorts;
  #queue: Tracked[] | null = null;
  #flushing: Promise<void> | null = null;

  constructor(ports: RecorderPorts) {
    this.#ports = ports;
  }

  /** Records waiting for Postgres. */
  get backlog(): number {
    return this.#rows().length;
  }

  /** A record the thread just put in its outbox. */
  track(id: number, record: unknown): void {
    const rows = this.#rows();
    // The first call loads the outbox, which may already hold this record.
    if (!rows.some((row) => row.id === id))
      rows.push({ id, record, attempts: 0, nextAt: 0, failure: null, dead: false, parked: false });
  }

  /**
   * Writes every record that is due, oldest first; stops at the first that fails, so records stay in order.
   * @param eager also retry a record waiting on an upstream fault now (new activity: Postgres may be back)
   */
  flush(options: { eager?: boolean } = {}): Promise<void> {
    this.#flushing ??= this.#run(options.eager ?? false).finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  #rows(): Tracked[] {
    this.#queue ??= this.#ports.store.outbox().map((row) => ({
      ...row,
      dead: row.failure?.startsWith("data:") === true && row.attempts >= RECORDER_LIMITS.dataAttempts,
      parked: row.attempts >= RECORDER_LIMITS.upstreamAttempts,
    }));
    return this.#queue;
  }

  async #run(eager: boolean): Promise<void> {
    const rows = this.#rows();
    for (let row = rows[0]; row; row = rows[0]) {
      const now = this.#ports.now();
      const upstreamWait = row.failure?.startsWith("upstream:") === true;
      if (row.parked && !eager) return;
      if (row.nextAt > now && !(eager && upstreamWait)) {
        this.#ports.wake(row.nextAt);
        return;
      }
      if (await this.#attempt(row)) rows.shift();
      // Refused for its data once too often: store the dead letter now rather than on the next alarm.
      else if (!(row.dead && row.nextAt <= this.#ports.now())) return;
    }
  }

  /** One try at a record; true when it left the outbox (written or dead-lettered). */
  async #attempt(row: Tracked): Promise<boolean> {
    const { sink, store, log } = this.#ports;
    try {
      if (row.dead) {
        await withTimeout(sink.deadLetter(row, parseFailure(row.failure), row.attempts));
        log.error("record.dead_lettered", {
          outboxId: row.id,
          attempts: row.attempts,
          code: row.failure,
        });
      } else {
        await withTimeout(sink.write(row.record));
        if (row.attempts > 0) log.info("record.replayed", { outboxId: row.id, attempts: row.attempts + 1 });
      }
      store.removeFromOutbox(row.id);
      return true;
    } catch (error) {
      this.#defer(row, sink.classify(error));
      return false;
    }
  }

  #defer(row: Tracked, failure: Fault): void {
    const { store, log, now, wake } = this.#ports;
    const attempts = row.attempts + 1;
    const code = `${failure.fault}:${failure.code}`;
    let delay = upstreamDelay(attempts);
    if (row.dead) {
      // Storing the dead letter failed: retried like an upstream fault, and the record keeps its own failure.
    } else if (failure.fault === "data") {
      row.failure = code;
      delay = RECORDER_LIMITS.dataBackoffMs[attempts - 1] ?? 0;
      if (attempts >= RECORDER_LIMITS.dataAttempts) row.dead = true;
    } else {
      row.failure = code;
    }
    row.attempts = attempts;
    row.nextAt = now() + delay;
    if (attempts >= RECORDER_LIMITS.upstreamAttempts) row.parked = true;
    store.deferOutbox(row.id, row.attempts, row.nextAt, row.failure ?? code);
    const fields = { outboxId: row.id, attempts, code, retryInMs: delay };
    if (row.parked) log.error("record.parked", fields);
    // A long outage must not flood the log: the first failures, then every power of two.
    else if (failure.fault === "data" || attempts <= 3 || (attempts & (attempts - 1)) === 0)
      log.warn("record.deferred", fields);
    if (!row.parked) wake(row.nextAt);
  }
}

function upstreamDelay(attempts: number): number {
  const { first, max } = RECORDER_LIMITS.upstreamBackoffMs;
  return Math.min(max, first * 2 ** Math.min(attempts - 1, 16));
}

function parseFailure(failure: string | null): Fault {
  const [fault, code = "unknown"] = (failure ?? "data:unknown").split(":");
  return { fault: fault === "upstream" ? "upstream" : "data", code };
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RecordTimeout(RECORDER_LIMITS.writeTimeoutMs)),
      RECORDER_LIMITS.writeTimeoutMs,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A write that did not finish in time: an upstream fault (the database is too slow or gone). */
export class RecordTimeout extends Error {
  override readonly name = "RecordTimeout";
  readonly code = "TIMEOUT";
  constructor(ms: number) {
    super(`the record was not written within ${ms} ms`);
  }
}
