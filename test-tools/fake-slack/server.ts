/**
 * A local stand-in for Slack's Web API: `POST /api/chat.postMessage` answers like Slack (`ok`, `channel`, a
 * new `ts`) and records each call with its bearer token; `GET /_fake/calls` lists them for tests. Started by
 * test-services.ts; the Worker reaches it through SLACK_API_URL.
 */
import { createServer } from "node:http";

export interface FakeSlackCall {
  method: string;
  token: string | null;
  body: Record<string, unknown>;
  ts: string;
}

export async function startFakeSlack(): Promise<{
  url: string;
  calls: FakeSlackCall[];
  close(): Promise<void>;
}> {
  const calls: FakeSlackCall[] = [];
  let counter = 0;
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    if (req.method === "GET" && path === "/_fake/calls") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ calls }));
      return;
    }
    if (req.method === "POST" && path.startsWith("/api/")) {
      let raw = "";
      for await (const chunk of req) raw += chunk;
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        // Slack answers invalid bodies with ok: false too.
      }
      const auth = req.headers.authorization ?? "";
      const ts = `${Math.floor(Date.now() / 1000)}.${String(++counter).padStart(6, "0")}`;
      calls.push({
        method: path.slice(5),
        token: auth.startsWith("Bearer ") ? auth.slice(7) : null,
        body,
        ts,
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify(auth ? { ok: true, channel: body.channel, ts } : { ok: false, error: "not_authed" }),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
