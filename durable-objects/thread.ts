/**
 * One conversation: a Durable Object per thread, and mostly its RPC surface. The logic lives beside it in
 * conversation.ts (the inbox: accept, listen, drain, bounded attempts), recorder.ts (the outbox to Postgres:
 * settle, retry, dead letters) and turn-message.ts (a turn's result as a thread message); this class wires them
 * to the platform: SQLite storage, the alarm, waitUntil, the Hyperdrive connection, the breakers and the queue.
 * Called over RPC by the Worker's routes and the tool-step consumers; errors cross RPC as Result values.
 */
import { DurableObject } from "cloudflare:workers";
import { loadConfig } from "../core/config.ts";
import type { Reply, ThreadView, TurnEvent } from "../core/contracts/api.ts";
import { CONSOLE_HUB_NAME } from "../core/contracts/live.ts";
import type { StepReport } from "../core/contracts/queue.ts";
import type { ThreadKey, ThreadMessage } from "../core/contracts/thread.ts";
import { emailedToVisitor } from "../core/email/visitor-mail.ts";
import { ok, type Result } from "../core/errors.ts";
import type { HandoffPolicy } from "../core/handoff/follow-up.ts";
import type { Ownership, StaffAction } from "../core/handoff/ownership.ts";
import { newId } from "../core/ids.ts";
import type { Logger } from "../core/log.ts";
import { createLogger } from "../core/log.ts";
import { aiBindingOf } from "../core/retrieval/workers-ai-embedder.ts";
import { staffSettings } from "../core/staff/staff-config.ts";
import { DEFAULT_SCHEDULE } from "../core/support-hours.ts";
import type { WebhookEvent } from "../core/webhooks/contracts.ts";
import { lazyDb, sharedDb } from "../db/client.ts";
import { emitWebhookEvent } from "../db/webhook-outbox.ts";
import { Conversation, type PostInput } from "./conversation.ts";
import { relayToEmail } from "./email-relay.ts";
import { closeBack, LiveSockets } from "./live-sockets.ts";
import { lookupQuotaPort } from "./lookup-quota.ts";
import { postgresRecordSink } from "./record-sink.ts";
import { Recorder } from "./recorder.ts";
import { relayToSlack } from "./slack-relay.ts";
import { spendMeters } from "./spend-meters.ts";
import { SqliteThreadStore } from "./sqlite-thread-store.ts";
import { createTurnPort } from "./turn-port.ts";

export type { PostInput } from "./conversation.ts";

export class Thread extends DurableObject<Env> {
  #conversation: Conversation;
  readonly #live: LiveSockets;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const { config } = loadConfig(env);
    const log = createLogger({ threadId: ctx.id.name ?? null }, config.logLevel);
    this.#live = new LiveSockets(ctx, log, new SqliteThreadStore(ctx.storage).state());
    this.#conversation = this.#open();
    // Messages accepted before an eviction are still owed an answer, and records are owed to Postgres.
    if (this.#conversation.hasWork()) ctx.waitUntil(this.#wakeAt(Date.now()));
  }

  /** The conversation over this object's storage, as it is now. */
  #open(): Conversation {
    const { ctx, env } = this;
    const { config } = loadConfig(env);
    const log = createLogger({ threadId: ctx.id.name ?? null }, config.logLevel);
    const store = new SqliteThreadStore(ctx.storage);
    const db = sharedDb(() => env.HYPERDRIVE.connectionString);
    const now = () => Date.now();
    const wake = (at: number) => ctx.waitUntil(this.#wakeAt(at));
    const live = this.#live;
    const handoff = handoffPolicy(env, log);
    const slack = slackApp(env);
    const initial = store.state();
    let lastStatus = initial ? `${initial.status}:${initial.owner?.id ?? ""}` : "";
    // One per object: the thread's meter has a single writer, this object (see spend-meter.ts).
    let meters: ReturnType<typeof spendMeters> | undefined;
    const recorder = new Recorder({
      store,
      sink: postgresRecordSink(db, ctx.id.name ?? null),
      now,
      wake,
      log,
    });
    const turns = createTurnPort({
      config,
      db: db.get,
      breaker: (tool) => env.BREAKER.getByName(tool),
      sendStep: async (step) => {
        await env.TOOL_STEPS.send(step);
      },
      ai: aiBindingOf(env),
      lookups: lookupQuotaPort(env.LOOKUP_QUOTA, config.orderLookupFailuresPerHour),
      spend: (threadId) => {
        meters ??= spendMeters(env.SPEND_METER, threadId, now, {
          background: (work) => ctx.waitUntil(work),
          onWriteError: (error) => log.error("budget.record_failed", { error }),
        });
        return meters;
      },
      log,
    });
    return new Conversation({
      name: ctx.id.name ?? null,
      store,
      recorder,
      turn: turns.turn,
      openTicket: turns.openTicket,
      wake,
      background: (work) => ctx.waitUntil(work),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now,
      newId,
      log,
      supportHours: config.shop.supportHours,
      shopName: config.shop.name,
      handoff,
      publish: (messages, state) => {
        const statusBefore = lastStatus;
        lastStatus = `${state.status}:${state.owner?.id ?? ""}`;
        live.publish(messages, state);
        if (slack && state.status === "handoff")
          ctx.waitUntil(relayToSlack(db.get(), slack, config, state.thread_id, messages, log));
        // A person's replies (console and Slack alike) and handoff follow-ups go out on an email thread.
        if (state.channel === "email" && emailedToVisitor(messages).length > 0)
          ctx.waitUntil(relayToEmail(db.get(), env.SEND_EMAIL, config, state.thread_id, messages, log));
        // The console's inbox hears of handoffs, takeovers and visitor messages (it re-reads its rows).
        if (
          statusBefore !== lastStatus ||
          (state.status === "handoff" && messages.some((m) => m.role === "user"))
        )
          ctx.waitUntil(
            env.CONSOLE_HUB.getByName(CONSOLE_HUB_NAME)
              .changed({ type: "inbox", thread_id: state.thread_id, status: state.status })
              .then(
                () => undefined,
                (error: unknown) => log.warn("live.inbox_failed", { error }),
              ),
          );
      },
    });
  }

  /** Accepts a message and streams its turn as server-sent events. */
  async post(input: PostInput): Promise<Result<ReadableStream<Uint8Array>>> {
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
    // The thread event comes first: anything the turn says before it is written waits here.
    let early: TurnEvent[] | null = [];
    const accepted = await this.#conversation.submit(input, (event) =>
      early ? early.push(event) : write(event),
    );
    if (!accepted.ok) {
      writer.abort().catch(() => {});
      return accepted;
    }
    if (input.create)
      write({
        event: "thread",
        data: { thread_id: accepted.value.threadId, thread_token: input.key.token ?? "" },
      });
    for (const event of early) write(event);
    early = null;
    return ok(readable);
  }

  /** Accepts a message and resolves with its reply once the turn is done. */
  postAndWait(input: PostInput): Promise<Result<Reply>> {
    return this.#conversation.submitAndWait(input);
  }

  view(key: ThreadKey, limit: number): Promise<Result<ThreadView>> {
    return this.#conversation.view(key, limit);
  }

  /** Checks that the key opens this thread and `messageId` is one of its recent replies (what feedback may rate). */
  checkReply(key: ThreadKey, messageId: string): Promise<"ok" | "no_thread" | "no_message"> {
    return this.#conversation.checkReply(key, messageId);
  }

  /** Staff take the thread over, reply, note, release or close it; refused with who owns it (`conflict:owner`). */
  async staffAction(action: StaffAction): Promise<Result<Ownership & { messages: ThreadMessage[] }>> {
    const result = await this.#conversation.staffAction(action);
    if (result.ok) this.#emitStaffEvents(action, result.value.messages);
    return result;
  }

  /** A side effect settled (or finally failed) in the queue: say so in the thread, once. */
  settleStep(report: StepReport): void {
    this.#conversation.settleStep(report);
  }

  /** A live listener's WebSocket upgrade, forwarded by the Worker after it checked who is asking. */
  override async fetch(request: Request): Promise<Response> {
    return this.#live.accept(request, new SqliteThreadStore(this.ctx.storage).state());
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    this.#live.received(ws, message);
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    closeBack(ws, code);
  }

  /** Answers anything still waiting and writes records Postgres could not take earlier. */
  override async alarm(): Promise<void> {
    try {
      await this.#conversation.wake();
    } catch (error) {
      // The platform would retry a throwing alarm a few times and give up; this keeps trying, later.
      createLogger({ threadId: this.ctx.id.name ?? null }).error("thread.alarm_failed", { error });
      await this.#wakeAt(Date.now() + 30_000);
    }
  }

  /**
   * Deletes everything this thread holds (retention, worker/retention-job.ts). The thread's last activity is
   * older than RETENTION_DAYS, so nothing can still be waiting for it.
   */
  async erase(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    // What this instance cached of the thread goes too: from now on it is an unknown id.
    this.#conversation = this.#open();
  }

  /**
   * Webhooks for what a staff action changed, read from the event messages it added (so the console, Slack and
   * a reply that takes a thread over all count): someone joined, or the conversation was closed. In the
   * background: the person's action never waits for it, and a failure is only logged.
   */
  #emitStaffEvents(action: StaffAction, messages: ThreadMessage[]): void {
    const threadId = this.ctx.id.name;
    if (!threadId) return;
    const events: { event: WebhookEvent; key: string; at: Date }[] = [];
    for (const message of messages) {
      const at = new Date(message.createdAt);
      if (message.meta.outcome === "staff:joined")
        events.push({
          event: { type: "conversation.assigned", data: { thread_id: threadId, staff_id: action.staff.id } },
          key: message.id,
          at,
        });
      if (message.meta.outcome === "staff:closed" && action.kind === "close")
        events.push({
          event: {
            type: "conversation.closed",
            data: { thread_id: threadId, reason: action.reason, staff_id: action.staff.id },
          },
          key: message.id,
          at,
        });
    }
    if (events.length === 0) return;
    const { config } = loadConfig(this.env);
    const db = lazyDb(this.env.HYPERDRIVE.connectionString);
    const emitter = {
      db: db.get(),
      queue: this.env.WEBHOOKS,
      publicUrl: config.webhooks.publicUrl,
      log: createLogger({ threadId }, config.logLevel),
    };
    this.ctx.waitUntil(
      (async () => {
        for (const { event, key, at } of events) await emitWebhookEvent(emitter, event, { key, at });
      })().finally(() => db.close()),
    );
  }

  async #wakeAt(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || at < current) await this.ctx.storage.setAlarm(at);
  }
}

/** Support hours and the handoff wait; a malformed setting falls back to the defaults instead of the thread failing. */
function handoffPolicy(env: Env, log: Logger): HandoffPolicy {
  try {
    const settings = staffSettings(env);
    return { schedule: settings.schedule, waitMs: settings.handoffWaitMs };
  } catch (error) {
    log.warn("config.invalid", { keys: ["SUPPORT_SCHEDULE", "HANDOFF_WAIT_MINUTES"], error });
    return { schedule: DEFAULT_SCHEDULE, waitMs: 5 * 60_000 };
  }
}

function slackApp(env: Env) {
  try {
    return staffSettings(env).slack;
  } catch {
    return null;
  }
}
