/**
 * One conversation: a Durable Object per thread. It authenticates the thread's token, keeps the bounded
 * short-term window, and runs one turn at a time: messages that arrive during a turn wait in the inbox and are
 * answered in arrival order, each exactly once (a retried request with the same client id gets the first
 * answer). Each turn's messages are durable in this object's storage before the reply leaves, and are written to
 * Postgres right after (later, from an outbox, if Postgres is down). Called over RPC by the Worker's
 * routes and by the tool-step consumers; errors cross RPC as Result values.
 */
import { DurableObject } from "cloudflare:workers";
import type { Brain, HistoryItem } from "../core/brain/brain.ts";
import { createOfflineBrain } from "../core/brain/offline-brain.ts";
import { createOfflineRouter, type OfflineRouter } from "../core/brain/offline-router.ts";
import { createOpenAiBrain } from "../core/brain/openai-brain.ts";
import { type AppConfig, loadConfig } from "../core/config.ts";
import type { Reply, ThreadView, TurnEvent } from "../core/contracts/api.ts";
import type { StepReport } from "../core/contracts/queue.ts";
import type { Channel, Identity, ThreadKey, ThreadMessage } from "../core/contracts/thread.ts";
import { fail, ok, type Result } from "../core/errors.ts";
import { newId, sha256Hex, timingSafeEqual } from "../core/ids.ts";
import { createLogger, type Logger } from "../core/log.ts";
import { replies } from "../core/orchestrator/replies.ts";
import { aiBindingOf } from "../core/retrieval/workers-ai-embedder.ts";
import { type Database, lazyDb } from "../db/client.ts";
import { handPortsFor } from "../db/hand-ports.ts";
import { kbFreshness } from "../db/kb-freshness.ts";
import {
  appendMessages,
  type RecordedToolCall,
  recordQueuedCall,
  recordTurn,
  type TurnMetricsRow,
  type TurnRecord,
  turnRecordSchema,
} from "../db/record.ts";
import { type InboxEntry, ThreadStorage } from "./thread-storage.ts";
import { runTurn } from "./turn-runner.ts";

/** Recent messages the Brain sees as history. */
const HISTORY_FOR_BRAIN = 12;
const OUTBOX_RETRY_MS = 5_000;
/** Messages a thread holds waiting for their turn before it asks the sender to slow down. */
const MAX_WAITING = 25;
const KB_STATUS_TTL_MS = 60_000;

// The offline router's index is immutable and costs tens of milliseconds to build: once per isolate, not per thread.
let sharedRouter: OfflineRouter | null = null;
const offlineRouter = () => {
  sharedRouter ??= createOfflineRouter();
  return sharedRouter;
};

export interface PostInput {
  key: ThreadKey;
  message: string;
  clientMessageId: string | null;
  /** Set when this request opens the thread. */
  create: { channel: Channel; identity: Identity | null } | null;
}

type Listener = (event: TurnEvent) => void;

export class Thread extends DurableObject<Env> {
  readonly #store: ThreadStorage;
  readonly #listeners = new Map<number, Listener[]>();
  #draining: Promise<void> | null = null;
  #brain: { key: string; brain: Brain } | null = null;
  #kb: { at: number; value: { available: boolean; reason: string | null } } | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new ThreadStorage(ctx.storage.sql);
    // Messages accepted before an eviction are still owed an answer.
    if (this.#store.pendingCount() > 0) ctx.waitUntil(ctx.storage.setAlarm(Date.now()));
  }

  /** Accepts a message and streams its turn as server-sent events. */
  async post(input: PostInput): Promise<Result<ReadableStream<Uint8Array>>> {
    const accepted = await this.#accept(input);
    if (!accepted.ok) return accepted;
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    const encoder = new TextEncoder();
    const write = (event: TurnEvent) => {
      writer
        .write(encoder.encode(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`))
        .catch(() => {
          // The visitor went away; the turn still completes and is stored.
        });
      if (event.event === "message" || event.event === "error") writer.close().catch(() => {});
    };
    if (input.create)
      write({
        event: "thread",
        data: { thread_id: accepted.value.threadId, thread_token: input.key.token ?? "" },
      });
    this.#listen(accepted.value.entry, write);
    return ok(readable);
  }

  /** Accepts a message and resolves with its reply once the turn is done. */
  async postAndWait(input: PostInput): Promise<Result<Reply>> {
    const accepted = await this.#accept(input);
    if (!accepted.ok) return accepted;
    return new Promise((resolve) => {
      this.#listen(accepted.value.entry, (event) => {
        if (event.event === "message") resolve(ok(event.data));
        if (event.event === "error") resolve(fail("internal:turn", event.data.message));
      });
    });
  }

  async view(key: ThreadKey, limit: number): Promise<Result<ThreadView>> {
    const state = await this.#authorized(key);
    if (!state) return fail("not_found:thread", "No thread with this id and token.");
    return ok({
      thread_id: state.thread_id,
      channel: state.channel,
      status: state.status,
      messages: this.#store.recentMessages(limit),
    });
  }

  /** Checks that the token opens this thread and `messageId` is one of its recent replies (what feedback may rate). */
  async checkReply(key: ThreadKey, messageId: string): Promise<"ok" | "no_thread" | "no_message"> {
    if (!(await this.#authorized(key))) return "no_thread";
    return this.#store.message(messageId)?.role === "assistant" ? "ok" : "no_message";
  }

  /** A side effect settled (or finally failed) in the queue: say so in the thread, once. */
  async settleStep(report: StepReport): Promise<void> {
    const state = this.#store.state();
    if (!state || !this.#store.markSettled(report.callId)) return;
    const content = describeStep(report, this.#config().shop.supportHours);
    if (!content) return;
    const message: ThreadMessage = {
      id: newId(),
      seq: this.#store.nextSeq(),
      role: "event",
      content,
      citations: [],
      meta: report.reference ? { ticketReference: report.reference } : {},
      createdAt: new Date().toISOString(),
    };
    this.#store.appendToWindow(message);
    const db = lazyDb(this.env.HYPERDRIVE.connectionString);
    try {
      await appendMessages(db.get(), state.thread_id, [message]);
    } finally {
      await db.close();
    }
  }

  /** Writes records Postgres could not take earlier, then answers anything still waiting. */
  override async alarm(): Promise<void> {
    const db = lazyDb(this.env.HYPERDRIVE.connectionString);
    try {
      for (const { id, record } of this.#store.outbox()) {
        await recordTurn(db.get(), turnRecordSchema.parse(record));
        this.#store.removeFromOutbox(id);
      }
    } catch (error) {
      createLogger({ thread: this.ctx.id.name ?? "" }).warn("record.retry_failed", {
        error,
      });
      await this.ctx.storage.setAlarm(Date.now() + OUTBOX_RETRY_MS);
    } finally {
      await db.close();
    }
    await this.#drain();
  }

  async #accept(input: PostInput): Promise<Result<{ entry: InboxEntry; threadId: string }>> {
    let state = this.#store.state();
    if (input.create) {
      if (state) return fail("conflict:thread", "This thread already exists.");
      const threadId = this.ctx.id.name;
      if (!threadId) return fail("internal:thread", "Threads are addressed by name.");
      state = {
        thread_id: threadId,
        channel: input.create.channel,
        status: "open",
        token_hash: await sha256Hex(input.key.token ?? ""),
        identity: input.create.identity,
        created_at: new Date().toISOString(),
      };
      this.#store.create(state);
    } else if (!(await this.#authorized(input.key))) {
      return fail("not_found:thread", "No thread with this id and token.");
    }
    // Backpressure: a flood into one thread waits for answers instead of piling up model calls.
    if (this.#store.pendingCount() >= MAX_WAITING && !this.#store.knowsClientId(input.clientMessageId)) {
      return fail(
        "rate_limited:chat",
        "Too many messages are waiting for an answer. Please wait for the replies.",
      );
    }
    const { entry } = this.#store.enqueue({
      clientId: input.clientMessageId,
      messageId: newId(),
      content: input.message,
      receivedAt: new Date().toISOString(),
    });
    return ok({ entry, threadId: state?.thread_id ?? "" });
  }

  async #authorized(key: ThreadKey) {
    const state = this.#store.state();
    // Hash anyway, so an unknown thread costs the same time as a wrong token.
    const hash = await sha256Hex(key.token ?? "");
    if (!state) return null;
    if (key.token && timingSafeEqual(hash, state.token_hash)) return state;
    if (key.viewerSub && state.identity && timingSafeEqual(key.viewerSub, state.identity.sub)) return state;
    return null;
  }

  /** Delivers the entry's turn events to a listener; an entry answered earlier gets its stored reply. */
  #listen(entry: InboxEntry, listener: Listener): void {
    if (entry.reply_id) {
      const stored = this.#store.message(entry.reply_id);
      const state = this.#store.state();
      if (stored && state) {
        listener({
          event: "message",
          data: { thread_id: state.thread_id, status: state.status, message: stored },
        });
      } else {
        listener({
          event: "error",
          data: { code: "not_found:message", message: "That message was answered earlier." },
        });
      }
      return;
    }
    this.#listeners.set(entry.seq, [...(this.#listeners.get(entry.seq) ?? []), listener]);
    this.ctx.waitUntil(this.#drain());
  }

  /** Runs pending turns one at a time, in arrival order. */
  #drain(): Promise<void> {
    this.#draining ??= (async () => {
      try {
        for (let entry = this.#store.nextPending(); entry; entry = this.#store.nextPending()) {
          if (!(await this.#turn(entry))) break;
        }
      } finally {
        this.#draining = null;
      }
    })();
    return this.#draining;
  }

  /** Answers one inbox entry; false when it could not, leaving it in the inbox for the alarm. */
  async #turn(entry: InboxEntry): Promise<boolean> {
    const emit = (event: TurnEvent) => {
      for (const listener of this.#listeners.get(entry.seq) ?? []) listener(event);
    };
    const state = this.#store.state();
    if (!state) return false;
    const config = this.#config();
    const turnId = newId();
    const log = createLogger({ threadId: state.thread_id, turnId, channel: state.channel }, config.logLevel);
    const history: HistoryItem[] = this.#store
      .recentMessages(HISTORY_FOR_BRAIN)
      .filter((m) => m.role !== "event")
      .map((m) => ({ role: m.role === "user" ? "user" : "assistant", content: m.content, meta: m.meta }));
    const db = lazyDb(this.env.HYPERDRIVE.connectionString);
    try {
      const answer = await this.#answer(state, entry, turnId, history, emit, db.get, log, config);
      const userMessage: ThreadMessage = {
        id: entry.message_id,
        seq: this.#store.nextSeq(),
        role: "user",
        content: entry.content,
        citations: [],
        meta: entry.client_id ? { clientId: entry.client_id } : {},
        createdAt: entry.received_at,
      };
      const assistant: ThreadMessage = { ...answer.message, seq: this.#store.nextSeq() };
      this.#store.appendToWindow(userMessage);
      this.#store.appendToWindow(assistant);
      this.#store.markAnswered(entry.seq, assistant.id);
      const status = this.#store.state()?.status ?? state.status;
      const record: TurnRecord = {
        thread: { id: state.thread_id, channel: state.channel, status, identity: state.identity },
        messages: [userMessage, assistant],
        toolCalls: answer.toolCalls,
        metrics: answer.metrics,
      };
      // Durable here (same synchronous step as the window) before the reply leaves; Postgres gets it right after.
      const outboxId = this.#store.keepForLater(record);
      emit({ event: "message", data: { thread_id: state.thread_id, status, message: assistant } });
      try {
        await recordTurn(db.get(), record);
        this.#store.removeFromOutbox(outboxId);
      } catch (error) {
        // Postgres is the record, but an outage must not silence the thread: the alarm writes it later.
        log.warn("record.deferred", { error });
        await this.ctx.storage.setAlarm(Date.now() + OUTBOX_RETRY_MS);
      }
      log.info("turn.completed", {
        outcome: assistant.meta.outcome,
        totalMs: answer.metrics?.totalMs,
        toolCalls: answer.metrics?.toolCalls,
      });
      return true;
    } catch (error) {
      log.error("turn.failed", { error });
      emit({
        event: "error",
        data: {
          code: "internal:turn",
          message: "The message could not be answered right now. Please try again.",
        },
      });
      await this.ctx.storage.setAlarm(Date.now() + OUTBOX_RETRY_MS);
      return false;
    } finally {
      this.#listeners.delete(entry.seq);
      await db.close();
    }
  }

  async #answer(
    state: NonNullable<ReturnType<ThreadStorage["state"]>>,
    entry: InboxEntry,
    turnId: string,
    history: HistoryItem[],
    emit: (event: TurnEvent) => void,
    database: () => Database,
    log: Logger,
    config: AppConfig,
  ): Promise<{
    message: Omit<ThreadMessage, "seq">;
    toolCalls: RecordedToolCall[];
    metrics: TurnMetricsRow | null;
  }> {
    const now = new Date().toISOString();
    if (state.status === "handoff") {
      const message = {
        id: newId(),
        role: "assistant" as const,
        content: replies.handoffWaiting,
        citations: [],
        meta: { turnId, outcome: "handoff:waiting" },
        createdAt: now,
      };
      return { message, toolCalls: [], metrics: null };
    }
    const brain = this.#brainFor(config);
    const result = await runTurn(
      {
        turnId,
        threadId: state.thread_id,
        channel: state.channel,
        identity: state.identity,
        message: entry.content,
        history,
      },
      {
        brain,
        config,
        log,
        emit,
        // Inline tools only read; handoffs notify staff from the queue consumer.
        ports: () => handPortsFor(database(), config, { ai: aiBindingOf(this.env) }, async () => {}),
        breaker: (tool) => this.env.BREAKER.getByName(tool),
        knowledge: () => this.#knowledge(database, config.kbMaxAgeHours, log),
        enqueue: async (step, record) => {
          await recordQueuedCall(database(), state.thread_id, record);
          await this.env.TOOL_STEPS.send(step);
        },
      },
    );
    if (result.handoff) this.#store.setStatus("handoff");
    emit({ event: "citations", data: { citations: result.reply.citations } });
    const message = {
      id: newId(),
      role: "assistant" as const,
      content: result.reply.text,
      citations: result.reply.citations,
      meta: {
        ...result.reply.meta,
        turnId,
        outcome: result.reply.outcome,
        brain: brain.kind,
        ...(brain.kind === "offline" ? { offline: true } : { model: result.metrics.model ?? undefined }),
        ...(result.reply.ticketReference ? { ticketReference: result.reply.ticketReference } : {}),
      },
      createdAt: new Date().toISOString(),
    };
    return { message, toolCalls: result.toolCalls, metrics: result.metrics };
  }

  /** The help centre's freshness, looked up at most once a minute per thread. */
  async #knowledge(database: () => Database, maxAgeHours: number, log: Logger) {
    const now = Date.now();
    if (this.#kb && now - this.#kb.at < KB_STATUS_TTL_MS) return this.#kb.value;
    try {
      const status = await kbFreshness(database(), maxAgeHours);
      const value = { available: status.available, reason: status.reason };
      this.#kb = { at: now, value };
      if (!status.available) log.warn("kb.unavailable", { reason: status.reason });
      return value;
    } catch (error) {
      // Unknown is not unavailable: search_kb then runs and, if the database is down, degrades on its own.
      log.warn("kb.status_failed", { error });
      return { available: true, reason: null };
    }
  }

  #config(): AppConfig {
    return loadConfig(this.env).config;
  }

  /** The Brain is rebuilt only when its configuration changes. */
  #brainFor(config: AppConfig): Brain {
    const key = JSON.stringify([config.llm, config.shop]);
    if (this.#brain?.key !== key) {
      const brain = config.llm
        ? createOpenAiBrain({ ...config.llm, shop: config.shop })
        : createOfflineBrain(config.shop, offlineRouter());
      this.#brain = { key, brain };
    }
    return this.#brain.brain;
  }
}

function describeStep(report: StepReport, supportHours: string): string | null {
  if (!report.ok) {
    return report.tool === "handoff_human"
      ? "We couldn't reach our support team automatically. Please email us and mention this conversation."
      : "We couldn't open a support ticket automatically. Our team has been alerted and will follow up.";
  }
  if (report.tool === "create_ticket")
    return `Support ticket ${report.reference ?? ""} is open. Our team will reply by email.`;
  if (report.tool === "handoff_human") return `Our support team has been notified (${supportHours}).`;
  return null;
}
