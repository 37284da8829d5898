import { describe, expect, it } from "vitest";
import { BODY_MAX_BYTES } from "../../core/contracts/api.ts";
import { call } from "../../test-tools/agent-api.ts";

/** A body of `total` bytes made on demand, 64 KB at a time, counting what the server pulled. */
function lazyBody(total: number) {
  const chunk = new TextEncoder().encode(`{"message":"${"x".repeat(64 * 1024)}`).slice(0, 64 * 1024);
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled >= total) return controller.close();
      seen.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

describe("request bodies", () => {
  it("refuses a 50 MB chunked body without Content-Length after reading little more than the limit", async () => {
    const { stream, seen } = lazyBody(50 * 1024 * 1024);
    const res = await call("/api/agent/messages", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      // @ts-expect-error: workerd's RequestInit accepts duplex for streamed bodies
      duplex: "half",
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "too_large:body" } });
    // What was read is the limit plus whatever was already in flight, never the 50 MB.
    expect(seen.pulled).toBeLessThan(BODY_MAX_BYTES + 512 * 1024);
  });

  it("refuses a body whose Content-Length understates it", async () => {
    const res = await call("/api/agent/messages", {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": "10" },
      body: JSON.stringify({ message: "x".repeat(BODY_MAX_BYTES) }),
    });
    expect([400, 413]).toContain(res.status);
    await res.text();
  });

  it("refuses NUL and other control characters in a message with 400 invalid_input:message", async () => {
    for (const message of ["hello\u0000world", "bell\u0007", "esc\u001b[31m", "lone \ud800 surrogate"]) {
      const res = await call("/api/agent/messages", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "invalid_input:message" } });
    }
  });
});
