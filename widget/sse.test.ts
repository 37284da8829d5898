import { describe, expect, it } from "vitest";
import { createSseParser, type SseEvent } from "./sse.ts";

const STREAM =
  'event: thread\ndata: {"thread_id":"t1","thread_token":"tok"}\n\n' +
  'event: status\ndata: {"stage":"thinking"}\n\n' +
  ": keep-alive comment\n\n" +
  'event: delta\ndata: {"text":"Hello"}\n\n' +
  'event: message\ndata: {"done":true}\n\n';

function feed(chunks: string[]): SseEvent[] {
  const parser = createSseParser();
  return chunks.flatMap((c) => parser.push(c));
}

describe("createSseParser", () => {
  it("parses a whole stream", () => {
    expect(feed([STREAM]).map((e) => e.event)).toEqual(["thread", "status", "delta", "message"]);
    expect(feed([STREAM])[0]).toEqual({ event: "thread", data: '{"thread_id":"t1","thread_token":"tok"}' });
  });

  it("gives the same events however the stream is split", () => {
    const whole = feed([STREAM]);
    for (let size = 1; size <= 7; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < STREAM.length; i += size) chunks.push(STREAM.slice(i, i + size));
      expect(feed(chunks)).toEqual(whole);
    }
  });

  it("accepts CRLF and CR line endings, even split between chunks", () => {
    const crlf = STREAM.replaceAll("\n", "\r\n");
    expect(feed([crlf])).toEqual(feed([STREAM]));
    expect(feed(crlf.split(/(?<=\r)/))).toEqual(feed([STREAM]));
    // A lone CR at the very end may still become CRLF, so it waits for the next byte.
    expect(feed([STREAM.replaceAll("\n", "\r"), ": next"])).toEqual(feed([STREAM]));
  });

  it("joins multi-line data and defaults the event name", () => {
    expect(feed(["data: one\ndata:two\n\n"])).toEqual([{ event: "message", data: "one\ntwo" }]);
  });

  it("strips one leading space only, and ignores unknown fields, id and retry", () => {
    expect(feed(["event:delta\nid: 7\nretry: 100\nfoo: bar\ndata:  spaced\n\n"])).toEqual([
      { event: "delta", data: " spaced" },
    ]);
  });

  it("does not dispatch an event without data, nor an unfinished one", () => {
    const parser = createSseParser();
    expect(parser.push("event: status\n\n")).toEqual([]);
    expect(parser.push('event: delta\ndata: {"text":"x"}\n')).toEqual([]);
  });

  it("does not carry an event name over to the next event", () => {
    expect(feed(["event: delta\ndata: a\n\ndata: b\n\n"]).map((e) => e.event)).toEqual(["delta", "message"]);
  });
});
