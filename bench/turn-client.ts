/**
 * The visitor's side of `npm run bench` (bench/turns.ts): one chat turn over HTTP, timed from request to the
 * parsed reply; a bare request (GET /healthz: the Worker's routing and middleware, no Durable Object, no
 * database) timed the same way, as the baseline of machine load; and the plain-text tables the bench prints.
 */

export interface Reply {
  thread_id: string;
  thread_token?: string;
  message: {
    id: string;
    content: string;
    citations: unknown[];
    meta: { outcome?: string; brain?: string; turnId?: string };
  };
}

export interface ThreadRef {
  id: string;
  token: string;
}

/** POSTs one message to a chat endpoint (the agent's /api/agent/messages or the floor's /messages). */
export async function sendTurn(
  endpoint: string,
  message: string,
  thread?: ThreadRef,
): Promise<{ ms: number; reply: Reply }> {
  const started = performance.now();
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(thread ? { authorization: `Bearer ${thread.token}` } : {}),
    },
    body: JSON.stringify(thread ? { message, thread_id: thread.id } : { message }),
  });
  const reply = (await response.json()) as Reply;
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`turn failed with ${response.status}: ${JSON.stringify(reply)}`);
  return { ms, reply };
}

/** One bare request to the same Worker, timed like a turn. */
export async function bareRequest(baseUrl: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/healthz`);
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`/healthz answered ${response.status}`);
  return performance.now() - started;
}

export function printTable(header: string[], body: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of body) console.log(line(row));
}
