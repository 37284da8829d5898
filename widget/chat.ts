/**
 * The conversation: sends the visitor's messages one at a time, streams each reply into the view, and keeps
 * the thread id and token so a reload restores the history. Every message carries its own client_message_id,
 * so when a stream breaks off (network, proxy, sleeping laptop) the same request is sent again and the agent
 * answers it once; afterwards the thread is re-read and rendered by message id, so nothing shows twice.
 * A signed-in visitor continues on any device: without a stored thread, the newest recent one is restored and
 * read with the sign-in alone, and the others are offered as "Earlier conversations".
 * Created by main.ts with the API client, the session store, the view and the site's identity source.
 */
import type { Reply, TurnEvent } from "../core/contracts/api.ts";
import type { LiveEvent } from "../core/contracts/live.ts";
import type { ThreadStatus } from "../core/contracts/thread.ts";
import { type Api, ApiError, type Auth } from "./api.ts";
import type { Strings } from "./i18n.ts";
import type { Live } from "./live.ts";
import { hasOtherThreads, type RecentThread, threadChoices, threadToRestore } from "./recent-threads.ts";
import { belongsTo, type SessionStore } from "./session.ts";
import { tokenDisplayName, tokenSubject } from "./sign-in.ts";
import type { Banner, View } from "./view.ts";

/** The site's signed token for a logged-in visitor (WordPress plugin), and how to get a fresh one. */
export interface IdentitySource {
  current(): string | null;
  refresh(): Promise<string | null>;
}

const HISTORY_LIMIT = 50;
const BACKOFF_MS = [400, 1200, 2500, 5000, 8000];
/** Without the live channel, a person's replies are fetched this often while the thread waits on them. */
const HANDOFF_POLL_MS = 5000;
/** The visitor's typing signal ends this long after their last key. */
const TYPING_IDLE_MS = 3000;

export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `w${[...bytes].map((b) => b.toString(36).padStart(2, "0")).join("")}`;
}

const wait = (ms: number) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      removeEventListener("online", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    addEventListener("online", done);
  });

export function createChat(deps: {
  api: Api;
  store: SessionStore;
  view: () => View;
  t: Strings;
  /** The strings' language, for the dates in the list of earlier conversations. */
  lang: string;
  identity: IdentitySource;
  /** Opens the thread's live channel (live.ts). */
  live(threadId: string, auth: Auth, on: { event(e: LiveEvent): void; up(): void; down(): void }): Live;
}) {
  const { api, store, t } = deps;
  const session = store.load();
  let status: ThreadStatus = "open";
  let offline = false;
  let network = false;
  let restored = false;
  let queue: Promise<void> = Promise.resolve();
  let identity = deps.identity.current();
  let poller: ReturnType<typeof setTimeout> | null = null;
  let recent: RecentThread[] = [];
  let live: Live | null = null;
  let liveUp = false;
  let typingSent = 0;
  let typingOff: ReturnType<typeof setTimeout> | undefined;

  /** What the thread's socket says: new messages, who answers, the person typing. */
  const onLive = (e: LiveEvent) => {
    const view = deps.view();
    if (e.type === "message") {
      if (view.upsert(e.message, session.ratings[e.message.id]) && e.message.role !== "user")
        view.announceReply(e.message);
      if (e.message.role === "staff") view.typing(null);
    } else if (e.type === "status") {
      status = e.status;
      showBanner();
    } else if (e.from === "staff") view.typing(e.on ? "typing" : null);
  };

  /** Listens to the current thread (once it has one); polling takes over while the socket is down. */
  const listen = () => {
    const threadId = session.threadId;
    if (live || !threadId) return;
    live = deps.live(threadId, auth(), {
      event: onLive,
      up: () => {
        liveUp = true;
        if (poller !== null) clearTimeout(poller);
        poller = null;
        // What happened while the socket was down.
        queue = queue.then(() => sync());
      },
      down: () => {
        liveUp = false;
        poll();
      },
    });
  };

  const stopListening = () => {
    live?.close();
    live = null;
    liveUp = false;
  };

  const forget = () => {
    stopListening();
    session.threadId = null;
    session.token = null;
    session.owner = null;
    session.ratings = {};
    store.save(session);
  };
  if (!belongsTo(session, tokenSubject(identity))) forget();

  /** The thread's token when this device has one, else the sign-in (it opens the visitor's own threads). */
  const auth = (): Auth => ({ token: session.token, identity: session.token ? null : identity });

  /** Runs a request; a sign-in the agent refuses (they expire within minutes) is fetched afresh once. */
  const withSignIn = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof ApiError && error.code === "unauthorized:identity")) throw error;
      identity = await deps.identity.refresh().catch(() => null);
      return run();
    }
  };

  /** A thread this request opened: its token is shown once; it belongs to the sign-in it was opened with. */
  const keep = (threadId: string, token: string | undefined) => {
    session.threadId = threadId;
    if (token) {
      session.token = token;
      session.owner = tokenSubject(identity);
    }
    store.save(session);
  };

  /** Shows one of the visitor's threads by its sign-in (no token on this device); null shows none. */
  const adopt = (threadId: string | null) => {
    session.threadId = threadId;
    session.token = null;
    session.owner = threadId ? tokenSubject(identity) : null;
    store.save(session);
  };

  const showThreads = () => {
    deps
      .view()
      .threads(
        hasOtherThreads(recent, session.threadId) ? threadChoices(recent, deps.lang, t.conversation) : [],
        session.threadId,
      );
  };

  const showBanner = () => {
    const kind: Banner = network ? "network" : status === "handoff" ? "handoff" : offline ? "offline" : null;
    deps.view().banner(kind);
    deps.view().status(status);
  };

  const apply = (reply: Reply, clientId: string | null) => {
    const view = deps.view();
    if (reply.thread_token && !session.token) keep(reply.thread_id, reply.thread_token);
    view.streaming(null);
    view.typing(null);
    if (clientId) view.sent(clientId, reply.message.seq - 1);
    view.upsert(reply.message, session.ratings[reply.message.id]);
    status = reply.status;
    // While a person has the thread the answer is the visitor's own stored message: nothing to announce.
    const held = reply.message.role === "user";
    if (!held) offline = reply.message.meta.offline === true;
    showBanner();
    if (!held) view.announceReply(reply.message);
    listen();
    poll();
  };

  /**
   * Re-reads the thread: the source of truth after a reload or an interrupted stream, and the way a person's
   * replies arrive during a handoff. Messages already shown are skipped by id; new ones are announced unless
   * this is the first read after a reload (announcing the whole history would drown the reader).
   */
  const sync = async (announce = true): Promise<void> => {
    const threadId = session.threadId;
    if (!threadId) return;
    try {
      const thread = await withSignIn(() => api.thread(threadId, auth(), HISTORY_LIMIT));
      const view = deps.view();
      for (const m of thread.messages) {
        if (view.upsert(m, session.ratings[m.id]) && announce && m.role !== "user") view.announceReply(m);
      }
      // After a reload the history arrives at once: show its end, where the conversation continues.
      if (!announce) view.scrollToEnd();
      status = thread.status;
      const last = thread.messages.filter((m) => m.role === "assistant").at(-1);
      offline = last?.meta.offline === true;
      showBanner();
      listen();
      poll();
    } catch (error) {
      // A thread the agent no longer knows (expired, the token was wiped, the sign-in lapsed): start anew.
      if (error instanceof ApiError && error.status === 404) forget();
    }
  };

  const poll = () => {
    if (poller !== null || liveUp || status !== "handoff" || !session.threadId) return;
    poller = setTimeout(() => {
      poller = null;
      // Through the queue, so a poll never interleaves with a turn; skipped while the tab is hidden.
      queue = queue.then(() => (document.visibilityState === "visible" ? sync() : poll()));
    }, HANDOFF_POLL_MS);
  };

  /**
   * Reads the visitor's recent threads; on failure the list stays as it was. The agent answering them is
   * also what shows "Signed in as …": it verified the sign-in, so the line never shows a refused one.
   */
  const listThreads = async () => {
    try {
      recent = await withSignIn(() => (identity ? api.threads(identity) : Promise.resolve([])));
      deps.view().signedIn(identity ? tokenDisplayName(identity) : null);
    } catch (error) {
      if (error instanceof ApiError && error.code === "unauthorized:identity") deps.view().signedIn(null);
    }
  };

  /**
   * The first open on this page. A signed-in visitor's recent threads are listed; with no thread stored here
   * (a new device, a cleared browser) the newest recent one is restored, so the conversation continues.
   */
  const start = async () => {
    if (identity) {
      await listThreads();
      if (!session.threadId && identity) adopt(threadToRestore(recent, Date.now()));
      showThreads();
    }
    await sync(false);
  };

  /** Switches to another of the visitor's threads, or to none: the next message then opens a new one. */
  const show = (threadId: string | null) => {
    queue = queue.then(async () => {
      if (threadId !== null && threadId === session.threadId) return;
      if (poller !== null) clearTimeout(poller);
      poller = null;
      stopListening();
      adopt(threadId);
      status = "open";
      offline = false;
      network = false;
      const view = deps.view();
      view.reset();
      showBanner();
      // Threads opened since the list was read (a new conversation here) become choices too.
      await listThreads();
      showThreads();
      await sync(false);
      view.announce(threadId ? t.loaded : t.newConversation);
    });
  };

  /** One message to a final reply: streams, resumes after interruptions, and reports what could not be sent. */
  const turn = async (text: string, clientId: string): Promise<void> => {
    const view = deps.view();
    view.pending(clientId, text);
    view.typing("typing");
    let resumed = false;
    let refreshedIdentity = false;
    for (let attempt = 0; ; attempt++) {
      // Filled in by the stream's callback, so held in an object the compiler does not narrow to null.
      const got: { reply: Reply | null; refused: boolean } = { reply: null, refused: false };
      let streamed = "";
      const onEvent = (e: TurnEvent) => {
        if (e.event === "thread") keep(e.data.thread_id, e.data.thread_token);
        else if (e.event === "status") view.typing(e.data.stage === "tool" ? "tool" : "typing");
        else if (e.event === "delta" || e.event === "replace") {
          streamed = e.event === "delta" ? streamed + e.data.text : e.data.text;
          view.typing(null);
          view.streaming(streamed);
        } else if (e.event === "message") got.reply = e.data;
        else if (e.event === "error") got.refused = true;
      };
      let retryable = true;
      try {
        await api.stream(
          { message: text, thread_id: session.threadId ?? undefined, client_message_id: clientId },
          auth(),
          onEvent,
        );
      } catch (error) {
        const code = error instanceof ApiError ? error.code : "";
        const httpStatus = error instanceof ApiError ? error.status : 0;
        if (code === "unauthorized:identity") {
          // An expired sign-in token: fetch a fresh one once, then carry on as a guest rather than fail (a
          // thread this device could only open with the sign-in is then not found, and a new one starts).
          identity = refreshedIdentity ? null : await deps.identity.refresh().catch(() => null);
          refreshedIdentity = true;
          if (!identity) deps.view().signedIn(null);
          attempt--;
          continue;
        }
        if (code === "not_found:thread" && session.threadId) {
          forget();
          attempt--;
          continue;
        }
        retryable = httpStatus === 0 || httpStatus === 429 || httpStatus >= 500;
      }
      if (got.reply) {
        network = false;
        apply(got.reply, clientId);
        if (resumed) await sync();
        return;
      }
      view.streaming(null);
      const delay = BACKOFF_MS[attempt];
      if (got.refused || !retryable || delay === undefined) {
        network = false;
        view.typing(null);
        showBanner();
        view.failed(clientId, () => send(text, clientId));
        view.announce(t.sendFailed);
        return;
      }
      network = true;
      resumed = true;
      showBanner();
      await wait(delay);
      view.typing("typing");
    }
  };

  const send = (text: string, clientId = newClientId()) => {
    queue = queue.then(() => turn(text, clientId));
  };

  return {
    send,
    /** The visitor is typing: the person on the other side sees it (at most one signal every few seconds). */
    typed() {
      const now = Date.now();
      // Repeated every couple of seconds while typing, so a person who opens the page meanwhile sees it too.
      if (now - typingSent > 2000) {
        live?.typing(true);
        typingSent = now;
      }
      clearTimeout(typingOff);
      typingOff = setTimeout(() => {
        live?.typing(false);
        typingSent = 0;
      }, TYPING_IDLE_MS);
    },
    human: () => send(t.handoffRequest),
    show,
    /** Restores the conversation the first time the panel opens on this page. */
    opened() {
      session.open = true;
      store.save(session);
      if (restored) return;
      restored = true;
      queue = queue.then(start);
    },
    closed() {
      session.open = false;
      store.save(session);
    },
    wasOpen: () => session.open,
    async rate(messageId: string, rating: "up" | "down") {
      const threadId = session.threadId;
      if (!threadId) return;
      try {
        await withSignIn(() =>
          api.feedback({ thread_id: threadId, message_id: messageId, rating, tags: [] }, auth()),
        );
        session.ratings[messageId] = rating;
        store.save(session);
        deps.view().rated(messageId, rating);
        deps.view().announce(t.thanks);
      } catch {
        deps.view().announce(t.sendFailed);
      }
    },
  };
}
