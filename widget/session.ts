/**
 * What survives a reload: the thread id and its token, whose sign-in the thread belongs to, whether the panel
 * was open, and the visitor's ratings (the thread view does not return them). Kept in localStorage under a key
 * per agent, read back through a guard because anything in storage may have been edited. Storage can be
 * disabled (privacy modes, sandboxed iframes): then the widget still works, it just forgets on reload.
 * Used by chat.ts.
 */

export interface Session {
  threadId: string | null;
  /** Null for a thread this device reads with the visitor's sign-in alone (restored from another device). */
  token: string | null;
  /** The sign-in subject the thread was opened or restored under; null for a guest's thread. */
  owner: string | null;
  open: boolean;
  ratings: Record<string, "up" | "down">;
}

export const emptySession = (): Session => ({
  threadId: null,
  token: null,
  owner: null,
  open: false,
  ratings: {},
});

export function parseSession(raw: string | null): Session {
  const s = emptySession();
  let v: unknown;
  try {
    v = raw ? JSON.parse(raw) : null;
  } catch {
    return s;
  }
  if (typeof v !== "object" || v === null) return s;
  const str = (key: string): string | null => {
    const value: unknown = Reflect.get(v, key);
    return typeof value === "string" && value ? value : null;
  };
  s.threadId = str("threadId");
  // A thread needs a key: its token, or a sign-in it belongs to.
  if (s.threadId) {
    s.token = str("token");
    s.owner = str("owner");
    if (!s.token && !s.owner) s.threadId = null;
  }
  if ("open" in v) s.open = v.open === true;
  if ("ratings" in v && typeof v.ratings === "object" && v.ratings !== null) {
    for (const [id, rating] of Object.entries(v.ratings)) {
      if (rating === "up" || rating === "down") s.ratings[id] = rating;
    }
  }
  return s;
}

/**
 * Whether the stored thread may be shown to whoever is signed in now. A thread opened or restored under a
 * sign-in stays with it: after signing out, or with someone else signed in on a shared computer, it is not
 * shown (it may hold that person's orders). A guest's thread stays with the browser, as before.
 */
export function belongsTo(session: Session, subject: string | null): boolean {
  return session.owner === null || session.owner === subject;
}

export interface SessionStore {
  load(): Session;
  save(session: Session): void;
}

export function sessionStore(apiBase: string): SessionStore {
  const key = `support-agent:${apiBase}`;
  return {
    load() {
      try {
        return parseSession(localStorage.getItem(key));
      } catch {
        return emptySession();
      }
    },
    save(session) {
      try {
        localStorage.setItem(key, JSON.stringify(session));
      } catch {
        // Storage full or disabled: the conversation just won't survive a reload.
      }
    },
  };
}

/**
 * A random id for this browser, kept across visits, that the agent's rate limits count by (X-Device-Id). It
 * says nothing about the visitor; without storage it is new per page load.
 */
export const DEVICE_STORAGE_KEY = "support-agent:device";

export function deviceId(): string {
  const key = DEVICE_STORAGE_KEY;
  try {
    const known = localStorage.getItem(key);
    if (known && /^[\w-]{16,64}$/.test(known)) return known;
    const id = crypto.randomUUID().replaceAll("-", "");
    localStorage.setItem(key, id);
    return id;
  } catch {
    return crypto.randomUUID().replaceAll("-", "");
  }
}
