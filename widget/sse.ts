/**
 * An incremental parser for server-sent events as they arrive over fetch (EventSource cannot POST or send an
 * Authorization header). Chunks may split anywhere, even between "\r" and "\n". Follows the WHATWG event-stream
 * rules the agent uses: `event`, multi-line `data`, comments; `id` and `retry` are ignored because a resumed
 * turn is re-requested by its client_message_id, not by Last-Event-ID. Used by the widget's API client.
 */

export interface SseEvent {
  event: string;
  data: string;
}

export interface SseParser {
  /** Feeds decoded text; returns the events completed by it, in order. */
  push(chunk: string): SseEvent[];
}

export function createSseParser(): SseParser {
  let buffer = "";
  let event = "";
  let data: string[] = [];

  const line = (text: string, out: SseEvent[]) => {
    if (text === "") {
      if (data.length > 0) out.push({ event: event || "message", data: data.join("\n") });
      event = "";
      data = [];
      return;
    }
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  };

  return {
    push(chunk) {
      buffer += chunk;
      const out: SseEvent[] = [];
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const ch = buffer[i];
        if (ch !== "\n" && ch !== "\r") continue;
        // A "\r" at the very end may be the first half of "\r\n": wait for the next chunk.
        if (ch === "\r" && i === buffer.length - 1) break;
        line(buffer.slice(start, i), out);
        if (ch === "\r" && buffer[i + 1] === "\n") i++;
        start = i + 1;
      }
      buffer = buffer.slice(start);
      return out;
    },
  };
}
