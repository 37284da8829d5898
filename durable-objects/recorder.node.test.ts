import { describe, expect, it } from "vitest";
import { MemoryThreadStore } from "./memory-thread-store.ts";
import { type Fault, RECORDER_LIMITS, Recorder } from "./recorder.ts";
import { FakeSink, type LoggedEvent, memoryLogger } from "./thread-harness.ts";

const NUL_REFUSED: Fault = { fault: "data", code: "22021" };
const DOWN: Fault = { fault: "upstream", code: "08006" };

function setup() {
  const store = new MemoryThreadStore();
  const sink = new FakeSink();
  const logs: LoggedEvent[] = [];
  const wakes: number[] = [];
  const clock = { now: 1_000_000 };
  const recorder = new Recorder({
    store,
    sink,
    now: () => clock.now,
    wake: (at) => void wakes.push(at),
    log: memoryLogger(logs),
  });
  const add = (id: string, content = `message ${id}`) => {
    const record = { id, content };
    const outboxId = store.commit({ messages: [], record });
    recorder.track(outboxId, record);
    return outboxId;
  };
  return { store, sink, logs, wakes, clock, recorder, add };
}

const ids = (records: unknown[]) => records.map((r) => (r as { id: string }).id);

describe("the recorder", () => {
  it("writes records in order and empties the outbox", async () => {
    const { sink, store, recorder, add } = setup();
    add("a");
    add("b");
    await recorder.flush();
    expect(ids(sink.written)).toEqual(["a", "b"]);
    expect(store.outbox()).toEqual([]);
  });

  it("retries an upstream fault with backoff, keeps later records behind it, and loses nothing", async () => {
    const { sink, store, recorder, add, clock, wakes } = setup();
    let down = true;
    sink.fail = () => (down ? DOWN : null);
    add("a");
    add("b");
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      await recorder.flush();
      const row = store.outbox()[0];
      delays.push((row?.nextAt ?? 0) - clock.now);
      clock.now = row?.nextAt ?? clock.now;
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect(store.outbox().map((r) => [r.attempts, r.failure])).toEqual([
      [8, "upstream:08006"],
      [0, null],
    ]);
    expect(wakes.at(-1)).toBe(store.outbox()[0]?.nextAt);
    expect(sink.written).toEqual([]);
    down = false;
    await recorder.flush();
    expect(ids(sink.written)).toEqual(["a", "b"]);
    expect(store.outbox()).toEqual([]);
  });

  it("retries at once on new activity (eager), not only when the backoff ends", async () => {
    const { sink, recorder, add } = setup();
    let down = true;
    sink.fail = () => (down ? DOWN : null);
    add("a");
    await recorder.flush();
    down = false;
    await recorder.flush();
    expect(sink.written).toEqual([]);
    await recorder.flush({ eager: true });
    expect(ids(sink.written)).toEqual(["a"]);
  });

  it("stores a record Postgres refuses for its data as a dead letter after 3 tries, logs it, and moves on", async () => {
    const { sink, store, recorder, add, clock, logs } = setup();
    sink.fail = (record) => ((record as { content: string }).content.includes("\u0000") ? NUL_REFUSED : null);
    add("poisoned", "hi\u0000there");
    add("next");
    for (let i = 0; i < 5 && store.outbox().length > 0; i++) {
      await recorder.flush();
      clock.now = Math.max(clock.now, store.outbox()[0]?.nextAt ?? clock.now);
    }
    expect(sink.deadLetters).toEqual([
      {
        recordId: "poisoned",
        failure: NUL_REFUSED,
        attempts: RECORDER_LIMITS.dataAttempts,
        payload: JSON.stringify({ id: "poisoned", content: "hi\u0000there" }),
      },
    ]);
    expect(ids(sink.written)).toEqual(["next"]);
    expect(store.outbox()).toEqual([]);
    expect(logs.filter((l) => l.event === "record.deferred")).toHaveLength(RECORDER_LIMITS.dataAttempts);
    expect(logs.filter((l) => l.event === "record.dead_lettered")).toEqual([
      expect.objectContaining({ level: "error", fields: expect.objectContaining({ code: "data:22021" }) }),
    ]);
    // Ids and codes only: the record's text is in the dead letter, never in the log.
    expect(JSON.stringify(logs)).not.toContain("there");
  });

  it("keeps a dead letter it cannot store yet, and stores it once Postgres answers", async () => {
    const { sink, store, recorder, add, clock } = setup();
    sink.fail = () => NUL_REFUSED;
    sink.failDeadLetters = true;
    add("poisoned");
    for (let i = 0; i < 6; i++) {
      await recorder.flush();
      clock.now = store.outbox()[0]?.nextAt ?? clock.now;
    }
    expect(store.outbox()).toHaveLength(1);
    expect(sink.deadLetters).toEqual([]);
    sink.failDeadLetters = false;
    await recorder.flush();
    expect(sink.deadLetters.map((d) => d.recordId)).toEqual(["poisoned"]);
    expect(store.outbox()).toEqual([]);
  });

  it("picks up where it was after a restart, with the attempts it had", async () => {
    const first = setup();
    first.sink.fail = () => NUL_REFUSED;
    first.add("poisoned");
    await first.recorder.flush();
    first.clock.now += 1_000;
    await first.recorder.flush();
    const again = new Recorder({
      store: first.store,
      sink: first.sink,
      now: () => first.clock.now + 10_000,
      wake: () => {},
      log: memoryLogger([]),
    });
    expect(again.backlog).toBe(1);
    await again.flush();
    expect(first.sink.deadLetters.map((d) => d.attempts)).toEqual([RECORDER_LIMITS.dataAttempts]);
  });
});
