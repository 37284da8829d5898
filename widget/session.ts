/**
 * What survives a reload: the thread id and its token, whether the panel was open, and the visitor's ratings
 * (the thread view does not return them). Kept in localStorage under a key per agent, read back through a
 * guard because anything in storage may have been edited. Storage can be disabled (privacy modes, sandboxed
 * iframes): then the widget still works, it just forgets on reload. Used by chat.ts.
 */

export interface Session {
  threadId: string | null;
  token: string | null;
  open: boolean;
  ratings: Record<string, "up" | "down">;
}

export const emptySession = (): Session => ({ threadId: null, token: null, open: false, ratings: {} });

function parseSession(raw: string | null): Session {
  const s = emptySession();
  let v: unknown;
  try {
    v = raw ? JSON.parse(raw) : null;
  } catch {
    return s;
  }
  if (typeof v !== "object" || v === null) return s;
  if ("threadId" in v && "token" in v && typeof v.threadId === "string" && typeof v.token === "string") {
    s.threadId = v.threadId;
    s.token = v.token;
  }
  if ("open" in v) s.open = v.open === true;
  if ("ratings" in v && typeof v.ratings === "object" && v.ratings !== null) {
    for (const [id, rating] of Object.entries(v.ratings)) {
      if (rating === "up" || rating === "down") s.ratings[id] = rating;
    }
  }
  return s;
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
