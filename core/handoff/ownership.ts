/**
 * Who answers a thread: the rules for staff taking a conversation over, replying, adding notes, releasing it to
 * the bot and closing it, as a pure decision the Thread Durable Object applies in one commit. One person owns a
 * thread at a time; anyone else is refused with who owns it (`conflict:owner`). A reply from someone while
 * nobody owns the thread takes it over first, the way support desks assign a conversation to whoever answers.
 * Notes are staff-only and change nothing else. No I/O: the caller stamps ids and times.
 */
import type { CloseReason } from "../contracts/console.ts";
import type { MessageMeta, MessageRole, Owner, ThreadStatus } from "../contracts/thread.ts";
import { fail, ok, type Result } from "../errors.ts";

export type StaffAction =
  | { kind: "takeover"; staff: Owner }
  | { kind: "release"; staff: Owner; reason?: string | undefined }
  | { kind: "close"; staff: Owner; reason: CloseReason }
  | { kind: "message"; staff: Owner; content: string; internal: boolean };

export interface Ownership {
  status: ThreadStatus;
  owner: Owner | null;
}

/** A message the action adds to the thread, before it gets an id, a sequence number and a time. */
export interface NewThreadMessage {
  role: MessageRole;
  content: string;
  meta: MessageMeta;
}

export interface StaffDecision {
  next: Ownership;
  messages: NewThreadMessage[];
  /** Set when the thread closes: why (resolved, no_reply, spam). */
  closedReason?: CloseReason;
}

/** What the visitor reads when someone joins: "Maya from Fernhill joined." */
export const joinedText = (staff: Owner, shop: string) => `${staff.name} from ${shop} joined.`;
export const releasedText = (staff: Owner) =>
  `${staff.name} has left the conversation. The assistant will answer from here.`;
export const CLOSED_TEXT = "This conversation was closed. Write again any time to reopen it.";

export function decideStaffAction(
  current: Ownership,
  action: StaffAction,
  shop: string,
): Result<StaffDecision> {
  const { staff } = action;
  const byStaff = { staffId: staff.id, staffName: staff.name };
  const taken = current.owner !== null && current.owner.id !== staff.id;
  const refused = () =>
    fail("conflict:owner", `${current.owner?.name ?? "Someone"} already owns this conversation.`);
  const joined: NewThreadMessage = {
    role: "event",
    content: joinedText(staff, shop),
    meta: { ...byStaff, outcome: "staff:joined" },
  };
  switch (action.kind) {
    case "takeover":
      if (taken) return refused();
      if (current.owner) return ok({ next: current, messages: [] });
      return ok({ next: { status: "handoff", owner: staff }, messages: [joined] });
    case "message": {
      const content = action.content;
      if (action.internal)
        return ok({ next: current, messages: [{ role: "note", content, meta: { ...byStaff } }] });
      if (taken) return refused();
      const reply: NewThreadMessage = { role: "staff", content, meta: { ...byStaff } };
      if (current.owner) return ok({ next: current, messages: [reply] });
      return ok({ next: { status: "handoff", owner: staff }, messages: [joined, reply] });
    }
    case "release": {
      if (taken) return refused();
      if (!current.owner && current.status !== "handoff") return ok({ next: current, messages: [] });
      const messages: NewThreadMessage[] = [
        { role: "event", content: releasedText(staff), meta: { ...byStaff, outcome: "staff:released" } },
      ];
      if (action.reason)
        messages.push({ role: "note", content: `Released: ${action.reason}`, meta: { ...byStaff } });
      return ok({ next: { status: "open", owner: null }, messages });
    }
    case "close":
      if (taken) return refused();
      if (current.status === "closed") return ok({ next: current, messages: [] });
      return ok({
        next: { status: "closed", owner: null },
        messages: [{ role: "event", content: CLOSED_TEXT, meta: { ...byStaff, outcome: "staff:closed" } }],
        closedReason: action.reason,
      });
    default: {
      const never: never = action;
      return never;
    }
  }
}
