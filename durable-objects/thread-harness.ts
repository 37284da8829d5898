/**
 * A thread's logic on in-memory ports, for the Node tests of the inbox and the recorder: the memory store, a
 * record sink that keeps what it was given (and can be told to fail like Postgres does), a scripted turn, and
 * a log that keeps events. Background work is tracked so a test can wait until the thread is idle.
 */
import type { Reply, TurnEvent } from "../core/contracts/api.ts";
import type { ThreadMessage } from "../core/contracts/thread.ts";
import type { Result } from "../core/errors.ts";
import type { HandoffPolicy } from "../core/handoff/follow-up.ts";
import type { LogFields, Logger } from "../core/log.ts";
import { supportScheduleSchema } from "../core/support-hours.ts";
import { Conversation, type TicketRequest, type TurnRequest } from "./conversation.ts";
import { MemoryThreadStore } from "./memory-thread-store.ts";
import { type Fault, Recorder } from "./recorder.ts";
import type { TurnOutcome } from "./turn-message.ts";

export interface LoggedEvent {
  level: string;
  event: string;
  fields: LogFields;
}

export function memoryLogger(into: LoggedEvent[], base: LogFields = {}): Logger {
  const at =
    (level: string) =>
    (event: string, fields: LogFields = {}) =>
      void into.push({ level, event, fields: { ...base, ...fields } });
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (fields) => memoryLogger(into, { ...base, ...fields }),
  };
}

/** A turn that answers "answer to <message>" after `delayMs`. */
export function echoTurn(delayMs = 0) {
  return async (request: TurnRequest): Promise<TurnOutcome> => {
    request.emit({ event: "status", data: { stage: "thinking" } });
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    return {
      message: {
        id: crypto.randomUUID(),
        role: "assistant",
        content: `answer to ${request.message}`,
        citations: [],
        meta: { turnId: request.turnId, outcome: "answered" },
        createdAt: new Date().toISOString(),
      },
      toolCalls: [],
      metrics: null,
      handoff: false,
    };
  };
}

/** Postgres as the recorder sees it: `fail` decides, per record, whether (and how) a write fails. */
export class FakeSink {
  written: unknown[] = [];
  deadLetters: { recordId: string | undefined; failure: Fault; attempts: number; payload: string }[] = [];
  fail: (record: unknown) => Fault | null = () => null;
  failDeadLetters = false;

  async write(record: unknown): Promise<void> {
    const failure = this.fail(record);
    if (failure) throw Object.assign(new Error("refused (test)"), { fault: failure });
    this.written.push(structuredClone(record));
  }

  async deadLetter(row: { id: number; record: unknown }, failure: Fault, attempts: number): Promise<void> {
    if (this.failDeadLetters)
      throw Object.assign(new Error("down (test)"), { fault: { fault: "upstream", code: "08006" } });
    const record = row.record as { id?: string };
    this.deadLetters.push({ recordId: record.id, failure, attempts, payload: JSON.stringify(row.record) });
  }

  classify(error: unknown): Fault {
    const fault: unknown = error && typeof error === "object" ? Reflect.get(error, "fault") : undefined;
    return (fault as Fault | undefined) ?? { fault: "data", code: "unknown" };
  }
}

export interface Harness {
  conversation: Conversation;
  store: MemoryThreadStore;
  recorder: Recorder;
  sink: FakeSink;
  logs: LoggedEvent[];
  tickets: { turnId: string; message: string; followUp?: TicketRequest["followUp"] }[];
  wakes: number[];
  /** What the live listeners were told, in order. */
  published: { messages: ThreadMessage[]; status: string }[];
  /** Waits until no background work (turns, flushes) is left. */
  idle(): Promise<void>;
  open(message: string): Promise<{ token: string; reply: Result<Reply> }>;
  say(token: string, message: string, clientMessageId?: string): Promise<Result<Reply>>;
  /** Sends a message and collects every event its caller hears. */
  stream(token: string, message: string): Promise<TurnEvent[]>;
  /** The same storage and sink, with a new in-memory object: what happens after an eviction. */
  restart(turn?: Harness["turn"]): Harness;
  turn: (request: TurnRequest) => Promise<TurnOutcome>;
}

/** A team that is always in, so tests of other things never see an out-of-hours follow-up. */
export const ALWAYS_OPEN = supportScheduleSchema.parse({
  timeZone: "UTC",
  weekly: Object.fromEntries(
    ["sun", "mon", "tue", "wed", "thu", "fri", "sat"].map((d) => [d, ["00:00-24:00"]]),
  ),
});

export function createHarness(
  options: {
    turn?: (request: TurnRequest) => Promise<TurnOutcome>;
    store?: MemoryThreadStore;
    sink?: FakeSink;
    name?: string;
    openTicket?: () => Promise<string | undefined>;
    handoff?: HandoffPolicy;
  } = {},
): Harness {
  const store = options.store ?? new MemoryThreadStore();
  const sink = options.sink ?? new FakeSink();
  const logs: LoggedEvent[] = [];
  const tickets: Harness["tickets"] = [];
  const wakes: number[] = [];
  const published: Harness["published"] = [];
  const work = new Set<Promise<unknown>>();
  const log = memoryLogger(logs);
  const turn = options.turn ?? echoTurn();
  const name = options.name ?? crypto.randomUUID();
  const background = (p: Promise<unknown>) => {
    const tracked = p.finally(() => work.delete(tracked));
    work.add(tracked);
  };
  const recorder = new Recorder({ store, sink, now: Date.now, wake: (at) => void wakes.push(at), log });
  const conversation = new Conversation({
    name,
    store,
    recorder,
    turn,
    openTicket: async (request) => {
      tickets.push({ turnId: request.turnId, message: request.message, followUp: request.followUp });
      return options.openTicket ? options.openTicket() : `FH-TEST${tickets.length}`;
    },
    wake: (at) => void wakes.push(at),
    background,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    now: Date.now,
    newId: () => crypto.randomUUID(),
    log,
    supportHours: "Mon-Fri 9-17",
    shopName: "Fernhill",
    handoff: options.handoff ?? { schedule: ALWAYS_OPEN, waitMs: 60 * 60_000 },
    publish: (messages, state) => void published.push({ messages, status: state.status }),
  });
  const harness: Harness = {
    conversation,
    store,
    recorder,
    sink,
    logs,
    tickets,
    wakes,
    published,
    turn,
    async idle() {
      while (work.size > 0) await Promise.allSettled([...work]);
    },
    async open(message) {
      const token = `token-${crypto.randomUUID()}`;
      const reply = await conversation.submitAndWait({
        key: { token, viewerSub: null },
        message,
        clientMessageId: null,
        create: { channel: "web", identity: null },
      });
      return { token, reply };
    },
    say(token, message, clientMessageId) {
      return conversation.submitAndWait({
        key: { token, viewerSub: null },
        message,
        clientMessageId: clientMessageId ?? null,
        create: null,
      });
    },
    async stream(token, message) {
      const events: TurnEvent[] = [];
      await new Promise<void>((resolve) => {
        void conversation
          .submit(
            { key: { token, viewerSub: null }, message, clientMessageId: null, create: null },
            (event) => {
              events.push(event);
              if (event.event === "message" || event.event === "error") resolve();
            },
          )
          .then((accepted) => {
            if (!accepted.ok) resolve();
          });
      });
      return events;
    },
    restart(next) {
      return createHarness({
        turn: next ?? turn,
        store,
        sink,
        name,
        ...(options.openTicket ? { openTicket: options.openTicket } : {}),
        ...(options.handoff ? { handoff: options.handoff } : {}),
      });
    },
  };
  return harness;
}
