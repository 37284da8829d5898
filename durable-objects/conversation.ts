/**
 * One conversation's logic, behind the Thread Durable Object's RPC surface and free of platform imports, so it
 * runs in Node tests on the memory store. It authenticates the thread's key, keeps messages in an inbox and
 * answers them one turn at a time in arrival order, each exactly once (a retried request with the same client
 * id gets the first answer). Each entry counts its attempts: a turn that throws is retried a bounded number of
 * times within the answer window, then the visitor gets the generic apology with a ticket and the thread
 * moves on. Every waiting caller is answered, with the reply or an error event, never left hanging. Each
 * answer is stored with its record for Postgres in one commit, before the reply leaves; the Recorder writes
 * the record. Queue steps that settle add one event message each, also through the outbox.
 */
import type { HistoryItem } from "../core/brain/brain.ts";
import { detectLanguage } from "../core/brain/languages.ts";
import type { Reply, ThreadView, TurnEvent } from "../core/contracts/api.ts";
import type { StepReport } from "../core/contracts/queue.ts";
import type { Channel, Identity, ThreadKey, ThreadMessage } from "../core/contracts/thread.ts";
import { fail, ok, type Result } from "../core/errors.ts";
import { typedEmails } from "../core/guardrails/acting-for.ts";
import {
  type FollowUpReason,
  followUpDue,
  followUpEmail,
  followUpText,
  type HandoffPolicy,
  ticketedText,
} from "../core/handoff/follow-up.ts";
import { decideStaffAction, type Ownership, type StaffAction } from "../core/handoff/ownership.ts";
import { sha256Hex, timingSafeEqual } from "../core/ids.ts";
import type { Logger } from "../core/log.ts";
import type { TurnRecord } from "../db/record.ts";
import type { Recorder } from "./recorder.ts";
import type { HandoffState, InboxEntry, ThreadState, ThreadStore } from "./thread-store.ts";
import {
  gaveUpOutcome,
  handoffWaitingOutcome,
  type MessageStamp,
  stepMessageText,
  type TurnOutcome,
  userMessage,
} from "./turn-message.ts";

export const INBOX_LIMITS = {
  /** Messages a thread holds waiting for their turn before it asks the sender to slow down. */
  maxWaiting: 25,
  /** Turns started for one message before it gets the apology instead. */
  maxAttempts: 3,
  retryBackoffMs: [250, 750],
  /** A failed turn is retried only while the message is younger than this (the visitor is waiting). */
  retryWindowMs: 4_000,
  /** After a storage fault the inbox is tried again this much later. */
  stallRetryMs: 5_000,
} as const;

/** How long a staff action waits for its record to reach Postgres before answering anyway. */
const STAFF_WRITE_WAIT_MS = 2_000;

/** Recent messages the Brain sees as history. */
const HISTORY_FOR_BRAIN = 12;

export interface PostInput {
  key: ThreadKey;
  message: string;
  clientMessageId: string | null;
  /** Set when this request opens the thread. */
  create: { channel: Channel; identity: Identity | null } | null;
}

export interface TurnRequest {
  turnId: string;
  state: ThreadState;
  message: string;
  history: HistoryItem[];
  emit(event: TurnEvent): void;
}

export type Listener = (event: TurnEvent) => void;

export interface TicketRequest {
  turnId: string;
  state: ThreadState;
  message: string;
  /** A follow-up for a handoff nobody could take: where to reply and what happened. */
  followUp?: { email: string; subject: string; body: string };
}

export interface ConversationPorts {
  /** The object's name: the thread id it may be opened as. */
  name: string | null;
  store: ThreadStore;
  recorder: Recorder;
  /** Runs one turn (the Brain, the tools) and returns what the thread should say. */
  turn(request: TurnRequest): Promise<TurnOutcome>;
  /** Opens a ticket for a message no attempt could answer; its reference, if it could be queued. */
  openTicket(request: TicketRequest): Promise<string | undefined>;
  /** Asks to be woken (the Durable Object alarm) at this time. */
  wake(at: number): void;
  /** Keeps work alive after the current call returns. */
  background(work: Promise<unknown>): void;
  sleep(ms: number): Promise<void>;
  now(): number;
  newId(): string;
  log: Logger;
  supportHours: string;
  /** The shop's name, for "Maya from Fernhill joined." */
  shopName: string;
  /** Tells the live listeners (WebSockets) about messages just stored, with the state after them. */
  publish(messages: ThreadMessage[], state: ThreadState): void;
  /** Support hours and how long a handoff waits for a person before the visitor is followed up. */
  handoff: HandoffPolicy;
}

export class Conversation {
  readonly #ports: ConversationPorts;
  #state: ThreadState | null;
  #lastSeq: number;
  #pending: InboxEntry[];
  #history: ThreadMessage[] | null = null;
  readonly #listeners = new Map<number, Listener[]>();
  #draining: Promise<void> | null = null;
  #stalled = false;

  constructor(ports: ConversationPorts) {
    this.#ports = ports;
    this.#state = ports.store.state();
    this.#lastSeq = ports.store.lastSeq();
    this.#pending = ports.store.pending();
  }

  /** Messages accepted before a restart are still owed an answer, and records still owed to Postgres. */
  hasWork(): boolean {
    return this.#pending.length > 0 || this.#ports.recorder.backlog > 0;
  }

  /**
   * Accepts a message and delivers its turn's events to `listener`, ending with `message` or `error`; a message
   * answered earlier (same client id) gets its stored reply. Refusals come back as the Result, before any event.
   */
  async submit(input: PostInput, listener: Listener): Promise<Result<{ threadId: string }>> {
    const accepted = await this.#accept(input);
    if (!accepted.ok) return accepted;
    // No await between accepting and listening: the turn cannot finish before its listener is in place.
    this.#listen(accepted.value.entry, listener);
    return ok({ threadId: accepted.value.threadId });
  }

  /** Accepts a message and resolves with its reply, or the failure that took its place. */
  async submitAndWait(input: PostInput): Promise<Result<Reply>> {
    let settle: (result: Result<Reply>) => void = () => {};
    const reply = new Promise<Result<Reply>>((resolve) => {
      settle = resolve;
    });
    const accepted = await this.submit(input, (event) => {
      if (event.event === "message") settle(ok(event.data));
      if (event.event === "error") settle(fail("unavailable:thread", event.data.message));
    });
    return accepted.ok ? reply : accepted;
  }

  async #accept(input: PostInput): Promise<Result<{ entry: InboxEntry; threadId: string }>> {
    const { store, newId, now } = this.#ports;
    if (input.create) {
      const threadId = this.#ports.name;
      if (this.#state) return fail("conflict:thread", "This thread already exists.");
      if (!threadId) return fail("internal:thread", "Threads are addressed by name.");
      const tokenHash = await sha256Hex(input.key.token ?? "");
      // Checked again after the await: another request may have opened it meanwhile.
      if (this.#state) return fail("conflict:thread", "This thread already exists.");
      const state: ThreadState = {
        thread_id: threadId,
        channel: input.create.channel,
        status: "open",
        token_hash: tokenHash,
        identity: input.create.identity,
        created_at: new Date(now()).toISOString(),
        owner: null,
        handoff: null,
      };
      store.create(state);
      this.#state = state;
    } else if (!(await this.#authorized(input.key))) {
      return fail("not_found:thread", "No thread with this id and token.");
    }
    const state = this.#state;
    if (!state) return fail("not_found:thread", "No thread with this id and token.");
    // Backpressure: a flood into one thread waits for answers instead of piling up model calls. A retry of a
    // message it already has is never refused.
    if (this.#pending.length >= INBOX_LIMITS.maxWaiting) {
      const earlier = input.clientMessageId === null ? null : store.entryByClientId(input.clientMessageId);
      if (earlier) return ok({ entry: earlier, threadId: state.thread_id });
      return fail(
        "rate_limited:chat",
        "Too many messages are waiting for an answer. Please wait for the replies.",
      );
    }
    const { entry, duplicate } = store.enqueue({
      clientId: input.clientMessageId,
      messageId: newId(),
      content: input.message,
      receivedAt: new Date(now()).toISOString(),
    });
    if (!duplicate) this.#pending.push(entry);
    return ok({ entry, threadId: state.thread_id });
  }

  #listen(entry: InboxEntry, listener: Listener): void {
    if (entry.reply_id !== null) {
      const stored = this.#ports.store.message(entry.reply_id);
      const state = this.#state;
      listener(
        stored && state
          ? { event: "message", data: { thread_id: state.thread_id, status: state.status, message: stored } }
          : {
              event: "error",
              data: { code: "not_found:message", message: "That message was answered earlier." },
            },
      );
      return;
    }
    this.#listeners.set(entry.seq, [...(this.#listeners.get(entry.seq) ?? []), listener]);
    this.#stalled = false;
    this.#ports.background(this.#drain());
  }

  async view(key: ThreadKey, limit: number): Promise<Result<ThreadView>> {
    const state = await this.#authorized(key);
    if (!state) return fail("not_found:thread", "No thread with this id and token.");
    return ok({
      thread_id: state.thread_id,
      channel: state.channel,
      status: state.status,
      messages: visitorView(this.#ports.store.recentMessages(limit)),
    });
  }

  /**
   * A staff member takes the thread over, replies, adds a note, releases it or closes it (core/handoff/ownership.ts
   * decides). The messages, the new owner and status and the record for Postgres are one commit; the answer
   * waits (briefly) for the record to reach Postgres, so the console's next read shows the change.
   */
  async staffAction(action: StaffAction): Promise<Result<Ownership & { messages: ThreadMessage[] }>> {
    const state = this.#state;
    const { store, newId, now, recorder } = this.#ports;
    if (!state) return fail("not_found:conversation", "No conversation with this id.");
    const decided = decideStaffAction(state, action, this.#ports.shopName);
    if (!decided.ok) return decided;
    const { next, closedReason } = decided.value;
    const createdAt = new Date(now()).toISOString();
    const messages: ThreadMessage[] = decided.value.messages.map((m, i) => ({
      ...m,
      id: newId(),
      seq: this.#lastSeq + 1 + i,
      citations: [],
      createdAt,
    }));
    const changed = next.status !== state.status || next.owner?.id !== state.owner?.id;
    if (messages.length === 0 && !changed) return ok({ ...next, messages });
    // Released or closed: the wait for a person is over.
    const handoff = next.status === "handoff" ? state.handoff : null;
    const updated: ThreadState = { ...state, status: next.status, owner: next.owner, handoff };
    const record = this.#record(updated, next.status, messages, { toolCalls: [], metrics: null });
    if (closedReason) record.thread.closedReason = closedReason;
    const outboxId = store.commit({
      messages,
      ...(changed ? { status: next.status, owner: next.owner, handoff } : {}),
      record,
    });
    this.#state = updated;
    this.#appended(messages);
    recorder.track(outboxId, record);
    const written = recorder.flush({ eager: true });
    this.#ports.background(written);
    this.#ports.log.info("staff.action", {
      action: action.kind,
      staffId: action.staff.id,
      status: next.status,
      internal: action.kind === "message" ? action.internal : undefined,
    });
    // A visitor message that arrived while a person was about to release waits for the bot now.
    if (!next.owner && this.#pending.length > 0) this.#ports.background(this.#drain());
    await Promise.race([written, this.#ports.sleep(STAFF_WRITE_WAIT_MS)]);
    return ok({ ...next, messages });
  }

  /** Whether the key opens this thread and `messageId` is one of its recent replies (what feedback may rate). */
  async checkReply(key: ThreadKey, messageId: string): Promise<"ok" | "no_thread" | "no_message"> {
    if (!(await this.#authorized(key))) return "no_thread";
    return this.#ports.store.message(messageId)?.role === "assistant" ? "ok" : "no_message";
  }

  /** A side effect settled (or finally failed) in the queue: say so in the thread, once. */
  settleStep(report: StepReport): void {
    const state = this.#state;
    const { store, newId, now, recorder } = this.#ports;
    if (!state || store.isSettled(report.callId)) return;
    const content = stepMessageText(report, this.#ports.supportHours);
    const message: ThreadMessage[] = content
      ? [
          {
            id: newId(),
            seq: this.#lastSeq + 1,
            role: "event",
            content,
            citations: [],
            meta: report.reference ? { ticketReference: report.reference } : {},
            createdAt: new Date(now()).toISOString(),
          },
        ]
      : [];
    const record = this.#record(state, state.status, message, { toolCalls: [], metrics: null });
    // The message, its record and the settled mark in one commit: the record reaches Postgres from the outbox.
    const outboxId = store.commit({ messages: message, settled: report.callId, record });
    this.#appended(message);
    recorder.track(outboxId, record);
    this.#ports.background(recorder.flush({ eager: true }));
  }

  /** The alarm: answer what is still waiting, write what Postgres still owes. */
  async wake(): Promise<void> {
    this.#stalled = false;
    await Promise.all([this.#drain(), this.#ports.recorder.flush({ eager: true }), this.#followUpIfDue()]);
  }

  /**
   * A handoff nobody can take (outside support hours, or not taken within the wait): the visitor is told when
   * the team is back and a ticket is opened for their email, or they are asked for one. Runs when a handoff
   * starts and on the alarm; does nothing once a person owns the thread or the visitor was followed up.
   */
  async #followUpIfDue(): Promise<void> {
    const state = this.#state;
    const { now, newId, log } = this.#ports;
    if (!state?.handoff || state.status !== "handoff") return;
    const policy = this.#ports.handoff;
    const reason = followUpDue(policy, state.handoff, state.owner !== null, new Date(now()));
    if (!reason) {
      if (!state.owner && state.handoff.stage === "none")
        this.#ports.wake(Date.parse(state.handoff.since) + policy.waitMs);
      return;
    }
    const visitorTexts = this.#ports.store
      .recentMessages(50)
      .filter((m) => m.role === "user")
      .map((m) => m.content);
    const email = followUpEmail(state.identity, visitorTexts);
    // Marked before the ticket's await, so a second wake cannot follow up twice.
    const handoff: HandoffState = { ...state.handoff, stage: email ? "ticketed" : "awaiting_email" };
    this.#state = { ...state, handoff };
    const turnId = newId();
    const reference = email ? await this.#openFollowUp(turnId, reason, email) : undefined;
    const message: ThreadMessage = {
      id: newId(),
      seq: this.#lastSeq + 1,
      role: "event",
      content: followUpText(reason, policy.schedule, new Date(now()), email ? { reference } : null),
      citations: [],
      meta: {
        turnId,
        outcome: `handoff:${reason}`,
        ...(email ? {} : { awaiting: "email" as const }),
        ...(reference ? { ticketReference: reference } : {}),
      },
      createdAt: new Date(now()).toISOString(),
    };
    this.#commitEvent(message, handoff);
    log.info("handoff.followed_up", { reason, ticket: reference !== undefined, askedForEmail: !email });
  }

  async #openFollowUp(turnId: string, reason: FollowUpReason, email: string): Promise<string | undefined> {
    try {
      return await this.#ports.openTicket({
        turnId,
        state: this.#live(),
        message: "",
        followUp: {
          email,
          subject: "A visitor asked for a person and nobody could take the chat",
          body:
            reason === "away"
              ? "The visitor asked for a person outside support hours. Please reply by email; the conversation is in the console inbox."
              : "The visitor asked for a person and nobody took the conversation in time. Please reply by email; the conversation is in the console inbox.",
        },
      });
    } catch (error) {
      this.#ports.log.error("followup.failed", { turnId, tool: "create_ticket", error });
      return undefined;
    }
  }

  /** One event message with the handoff's new stage, through the outbox like every other write. */
  #commitEvent(message: ThreadMessage, handoff: HandoffState): void {
    const { store, recorder } = this.#ports;
    const state = this.#live();
    const record = this.#record(state, state.status, [message], { toolCalls: [], metrics: null });
    const outboxId = store.commit({ messages: [message], handoff, record });
    this.#appended([message]);
    recorder.track(outboxId, record);
    this.#ports.background(recorder.flush({ eager: true }));
  }

  async #authorized(key: ThreadKey): Promise<ThreadState | null> {
    const state = this.#state;
    // Hash anyway, so an unknown thread costs the same time as a wrong token.
    const hash = await sha256Hex(key.token ?? "");
    if (!state) return null;
    if (key.token && timingSafeEqual(hash, state.token_hash)) return state;
    if (key.viewerSub && state.identity && timingSafeEqual(key.viewerSub, state.identity.sub)) return state;
    return null;
  }

  /** Runs pending turns one at a time, in arrival order. */
  #drain(): Promise<void> {
    this.#draining ??= this.#answerAll().finally(() => {
      this.#draining = null;
      // A message accepted while the last turn was finishing must not wait for the next alarm.
      if (this.#pending.length > 0 && !this.#stalled) this.#ports.background(this.#drain());
    });
    return this.#draining;
  }

  async #answerAll(): Promise<void> {
    try {
      for (let entry = this.#pending[0]; entry; entry = this.#pending[0]) await this.#answer(entry);
    } catch (error) {
      // The store itself failed: nothing can be answered now. Everyone waiting hears so; the alarm tries again.
      this.#stalled = true;
      this.#ports.log.error("inbox.stalled", { pending: this.#pending.length, error });
      for (const seq of [...this.#listeners.keys()])
        this.#emit(seq, {
          event: "error",
          data: {
            code: "unavailable:thread",
            message: "The message could not be answered right now. Please try again.",
          },
        });
      this.#listeners.clear();
      this.#ports.wake(this.#ports.now() + INBOX_LIMITS.stallRetryMs);
    }
  }

  /** Answers one entry: its turn, retried within bounds, or the apology. */
  async #answer(entry: InboxEntry): Promise<void> {
    const { store, log, now, newId } = this.#ports;
    if (this.#live().owner) return this.#hold(entry);
    for (;;) {
      const state = this.#live();
      const attempt = store.beginAttempt(entry.seq);
      const turnId = newId();
      if (attempt > INBOX_LIMITS.maxAttempts) return this.#giveUp(entry, turnId, attempt - 1);
      try {
        const stamp = { id: newId(), turnId, createdAt: "" };
        if (state.status === "handoff")
          return await this.#whileWaiting(entry, { ...stamp, createdAt: new Date(now()).toISOString() });
        const outcome = await this.#ports.turn({
          turnId,
          state,
          message: entry.content,
          history: this.#historyForBrain(),
          emit: (event) => this.#emit(entry.seq, event),
        });
        this.#finish(entry, outcome);
        log.info("turn.completed", {
          turnId,
          attempt,
          outcome: outcome.message.meta.outcome,
          totalMs: outcome.metrics?.totalMs,
          toolCalls: outcome.metrics?.toolCalls,
        });
        return;
      } catch (error) {
        log.error("turn.failed", { turnId, attempt, error });
        const age = now() - Date.parse(entry.received_at);
        if (attempt >= INBOX_LIMITS.maxAttempts || age > INBOX_LIMITS.retryWindowMs)
          return this.#giveUp(entry, newId(), attempt);
        await this.#ports.sleep(INBOX_LIMITS.retryBackoffMs[attempt - 1] ?? 0);
      }
    }
  }

  /**
   * A visitor writing while a person is asked for: the agent only acknowledges, unless the follow-up asked for
   * their email and this message gives one; then the ticket opens for it.
   */
  async #whileWaiting(entry: InboxEntry, stamp: MessageStamp): Promise<void> {
    const state = this.#live();
    const email = typedEmails([entry.content]).at(-1);
    if (state.handoff?.stage !== "awaiting_email" || !email) {
      this.#finish(entry, handoffWaitingOutcome(stamp, detectLanguage(entry.content)));
      return;
    }
    const handoff: HandoffState = { ...state.handoff, stage: "ticketed" };
    this.#state = { ...state, handoff };
    const reference = await this.#openFollowUp(stamp.turnId, "unanswered", email);
    const outcome = handoffWaitingOutcome(stamp, detectLanguage(entry.content));
    outcome.message = {
      ...outcome.message,
      content: ticketedText(reference, email),
      meta: {
        ...outcome.message.meta,
        outcome: "handoff:ticketed",
        ...(reference ? { ticketReference: reference } : {}),
      },
    };
    this.#finish(entry, outcome, handoff);
  }

  /**
   * A person owns the thread: the visitor's message is stored and goes to them, and the bot says nothing. The
   * waiting request is answered with the stored message itself (role `user`), which is also what a retry gets.
   */
  #hold(entry: InboxEntry): void {
    const { store, recorder } = this.#ports;
    const state = this.#live();
    const user = userMessage(entry, this.#lastSeq + 1);
    const record = this.#record(state, state.status, [user], { toolCalls: [], metrics: null });
    const outboxId = store.commit({
      messages: [user],
      answered: { inboxSeq: entry.seq, replyId: user.id },
      record,
    });
    this.#pending = this.#pending.filter((e) => e.seq !== entry.seq);
    this.#appended([user]);
    this.#emit(entry.seq, {
      event: "message",
      data: { thread_id: state.thread_id, status: state.status, message: user },
    });
    this.#listeners.delete(entry.seq);
    recorder.track(outboxId, record);
    this.#ports.background(recorder.flush({ eager: true }));
  }

  /** Every attempt failed: the visitor gets the generic apology and a ticket, and the thread moves on. */
  async #giveUp(entry: InboxEntry, turnId: string, attempts: number): Promise<void> {
    const { log, now, newId } = this.#ports;
    let reference: string | undefined;
    try {
      reference = await this.#ports.openTicket({ turnId, state: this.#live(), message: entry.content });
    } catch (error) {
      log.error("followup.failed", { turnId, tool: "create_ticket", error });
    }
    const stamp: MessageStamp = { id: newId(), turnId, createdAt: new Date(now()).toISOString() };
    this.#finish(entry, gaveUpOutcome(stamp, reference, detectLanguage(entry.content)));
    log.error("turn.gave_up", { turnId, inboxSeq: entry.seq, attempts, ticket: reference !== undefined });
  }

  /** Stores an answer with its record, then sends it to everyone waiting for it. */
  #finish(entry: InboxEntry, outcome: TurnOutcome, followUp?: HandoffState): void {
    const { store, recorder, now } = this.#ports;
    const state = this.#live();
    const user = userMessage(entry, this.#lastSeq + 1);
    const reply: ThreadMessage = { ...outcome.message, seq: this.#lastSeq + 2 };
    // A visitor writing to a closed conversation opens it again.
    const status = outcome.handoff ? "handoff" : state.status === "closed" ? "open" : state.status;
    // A new handoff starts its wait for a person.
    const handoff: HandoffState | null | undefined =
      followUp ??
      (status === "handoff" && !state.handoff
        ? { since: new Date(now()).toISOString(), stage: "none" }
        : undefined);
    const record = this.#record(state, status, [user, reply], outcome);
    const outboxId = store.commit({
      messages: [user, reply],
      answered: { inboxSeq: entry.seq, replyId: reply.id },
      ...(status !== state.status ? { status } : {}),
      ...(handoff !== undefined ? { handoff } : {}),
      record,
    });
    this.#state = { ...state, status, ...(handoff !== undefined ? { handoff } : {}) };
    if (handoff && handoff.stage === "none" && !followUp) this.#ports.background(this.#followUpIfDue());
    this.#pending = this.#pending.filter((e) => e.seq !== entry.seq);
    this.#appended([user, reply]);
    this.#emit(entry.seq, { event: "message", data: { thread_id: state.thread_id, status, message: reply } });
    this.#listeners.delete(entry.seq);
    recorder.track(outboxId, record);
    this.#ports.background(recorder.flush({ eager: true }));
  }

  #record(
    state: ThreadState,
    status: ThreadState["status"],
    messages: ThreadMessage[],
    outcome: Pick<TurnOutcome, "toolCalls" | "metrics">,
  ): TurnRecord {
    return {
      id: this.#ports.newId(),
      thread: {
        id: state.thread_id,
        channel: state.channel,
        status,
        identity: state.identity,
        owner: state.owner,
      },
      messages,
      toolCalls: outcome.toolCalls,
      metrics: outcome.metrics,
    };
  }

  #appended(messages: ThreadMessage[]): void {
    const last = messages.at(-1);
    if (last) this.#lastSeq = last.seq;
    if (this.#state) this.#ports.publish(messages, this.#state);
    if (this.#history) this.#history = [...this.#history, ...messages].slice(-HISTORY_FOR_BRAIN * 2);
  }

  #historyForBrain(): HistoryItem[] {
    this.#history ??= this.#ports.store.recentMessages(HISTORY_FOR_BRAIN * 2);
    return (
      this.#history
        // Internal notes are for staff only: the Brain's words reach the visitor.
        .filter((m) => m.role !== "event" && m.role !== "note")
        .slice(-HISTORY_FOR_BRAIN)
        .map((m) => ({ role: m.role === "user" ? "user" : "assistant", content: m.content, meta: m.meta }))
    );
  }

  #emit(seq: number, event: TurnEvent): void {
    for (const listener of this.#listeners.get(seq) ?? []) listener(event);
  }

  #live(): ThreadState {
    if (!this.#state) throw new Error("the thread has no state");
    return this.#state;
  }
}

/** What the visitor may see: no internal notes, and of staff only the display name. */
export function visitorView(messages: ThreadMessage[]): ThreadMessage[] {
  return messages
    .filter((m) => m.role !== "note")
    .map(({ meta: { staffId: _, ...meta }, ...m }) => ({ ...m, meta }));
}
