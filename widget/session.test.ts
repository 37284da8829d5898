import { describe, expect, it } from "vitest";
import { belongsTo, emptySession, parseSession } from "./session.ts";

describe("parseSession", () => {
  it("reads a guest's thread with its token", () => {
    const s = parseSession(
      JSON.stringify({ threadId: "t1", token: "k1", open: true, ratings: { m1: "up" } }),
    );
    expect(s).toEqual({ threadId: "t1", token: "k1", owner: null, open: true, ratings: { m1: "up" } });
  });

  it("reads a thread restored by sign-in: no token, an owner", () => {
    const s = parseSession(JSON.stringify({ threadId: "t1", token: null, owner: "wp-7" }));
    expect(s).toMatchObject({ threadId: "t1", token: null, owner: "wp-7" });
  });

  it("drops a thread with neither token nor owner, and anything malformed", () => {
    expect(parseSession(JSON.stringify({ threadId: "t1", token: null })).threadId).toBeNull();
    expect(parseSession(JSON.stringify({ threadId: 5, token: "k", owner: "x" })).threadId).toBeNull();
    expect(parseSession("{not json")).toEqual(emptySession());
    expect(parseSession(null)).toEqual(emptySession());
    expect(parseSession(JSON.stringify({ ratings: { m1: "meh", m2: "down" } })).ratings).toEqual({
      m2: "down",
    });
  });
});

describe("belongsTo", () => {
  const owned = { ...emptySession(), threadId: "t1", token: "k1", owner: "wp-7" };

  it("keeps a signed-in visitor's thread for that visitor only", () => {
    expect(belongsTo(owned, "wp-7")).toBe(true);
    expect(belongsTo(owned, "wp-8")).toBe(false);
    expect(belongsTo(owned, null)).toBe(false);
  });

  it("keeps a guest's thread whoever is signed in", () => {
    const guest = { ...owned, owner: null };
    expect(belongsTo(guest, null)).toBe(true);
    expect(belongsTo(guest, "wp-7")).toBe(true);
  });
});
