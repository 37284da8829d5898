/**
 * A real HTTP receiver of webhooks on loopback, verifying each one the way a receiver should: with the
 * `standardwebhooks` Webhook class and the endpoint's secret. Tests register an inbox (its secret and how many
 * first attempts to fail) with `PUT /_receiver/inboxes/:name`, point an endpoint at `POST /hooks/:name`, and
 * read what arrived with `GET /_receiver/inboxes/:name`. Started by test-services.ts.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import { Webhook } from "standardwebhooks";

export interface ReceivedWebhook {
  webhookId: string | null;
  /** The webhook-timestamp header (seconds). */
  timestamp: string | null;
  signature: string | null;
  /** The Webhook class accepted the signature (and the timestamp's freshness). */
  verified: boolean;
  /** The status the receiver answered. */
  answered: number;
  /** Date.now() when the body had arrived. */
  receivedAt: number;
  body: string;
}

interface Inbox {
  secret: string;
  /** The first this many attempts get `failStatus`, whatever their signature. */
  failFirst: number;
  failStatus: number;
  received: ReceivedWebhook[];
}

export async function startWebhookReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const inboxes = new Map<string, Inbox>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://receiver");
    const [, area, kind, name] = url.pathname.split("/");
    let raw = "";
    for await (const chunk of req) raw += chunk;
    if (area === "_receiver" && kind === "inboxes" && name) {
      if (req.method === "PUT") {
        const body = JSON.parse(raw) as { secret: string; failFirst?: number; failStatus?: number };
        inboxes.set(name, {
          secret: body.secret,
          failFirst: body.failFirst ?? 0,
          failStatus: body.failStatus ?? 500,
          received: [],
        });
        res.writeHead(204).end();
        return;
      }
      const inbox = inboxes.get(name);
      res.writeHead(inbox ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify({ received: inbox?.received ?? [] }));
      return;
    }
    const inbox = area === "hooks" && kind ? inboxes.get(kind) : undefined;
    if (req.method !== "POST" || !inbox) {
      res.writeHead(404).end();
      return;
    }
    const receivedAt = Date.now();
    const verified = verifies(inbox.secret, raw, req.headers);
    const failing = inbox.received.length < inbox.failFirst;
    const answered = failing ? inbox.failStatus : verified ? 204 : 401;
    inbox.received.push({
      webhookId: header(req.headers, "webhook-id"),
      timestamp: header(req.headers, "webhook-timestamp"),
      signature: header(req.headers, "webhook-signature"),
      verified,
      answered,
      receivedAt,
      body: raw,
    });
    res.writeHead(answered).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function verifies(secret: string, body: string, headers: IncomingHttpHeaders): boolean {
  const flat: Record<string, string> = {};
  for (const key of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
    const value = header(headers, key);
    if (value !== null) flat[key] = value;
  }
  try {
    new Webhook(secret).verify(body, flat);
    return true;
  } catch {
    return false;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return typeof value === "string" ? value : null;
}
