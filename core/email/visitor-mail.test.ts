import { describe, expect, it } from "vitest";
import type { ThreadMessage } from "../contracts/thread.ts";
import { emailedToVisitor } from "./visitor-mail.ts";

const message = (role: ThreadMessage["role"], meta: ThreadMessage["meta"] = {}): ThreadMessage => ({
  id: crypto.randomUUID(),
  seq: 1,
  role,
  content: role,
  citations: [],
  meta,
  createdAt: "2026-12-02T09:00:00Z",
});

describe("emailedToVisitor", () => {
  it("sends a person's replies and a handoff's follow-up, nothing staff-only and no other event", () => {
    const staff = message("staff", { staffName: "Maya" });
    const away = message("event", { outcome: "handoff:away", ticketReference: "FH-1" });
    const unanswered = message("event", { outcome: "handoff:unanswered", awaiting: "email" });
    const all = [
      message("user"),
      message("assistant", { outcome: "handoff:waiting" }),
      message("note", { staffName: "Maya" }),
      message("event", { staffName: "Maya" }),
      message("event", { ticketReference: "FH-2" }),
      staff,
      away,
      unanswered,
    ];
    expect(emailedToVisitor(all)).toEqual([staff, away, unanswered]);
  });
});
