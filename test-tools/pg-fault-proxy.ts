/**
 * A fault-injecting TCP proxy in front of the test Postgres. It reads the Postgres frontend protocol just far
 * enough to see each message's bytes, and when a query, parse or bind message carries a marker string (an
 * order number or search phrase only one test uses) it holds back that connection's answers (a slow query,
 * without stalling the database for everyone else) or cuts the connection. That lets
 * Workers tests make one tool's database calls slow or failing, for real, without touching other tests.
 * An outage (POST /outage {"down": true}) cuts every connection and answers new ones the way a pooler such as
 * Hyperdrive does when its database is gone (an ErrorResponse, SQLSTATE 08006, then close) until it ends:
 * Postgres down for everyone, so only tests that own their project's database may use it. Rules and outages are set over
 * a small HTTP control API, because test code runs inside workerd.
 */
import { createServer as createHttpServer } from "node:http";
import { connect, createServer, type Socket } from "node:net";
import { z } from "zod";

const ruleSchema = z.strictObject({
  marker: z.string().min(4),
  /** Only statements whose SQL contains this text, e.g. `from "orders"`: the record of a turn may carry the marker too. */
  statement: z.string().optional(),
  action: z.enum(["delay", "drop"]),
  ms: z.number().int().min(0).max(60_000).default(0),
  /** How many matching messages the rule applies to; omitted means all. */
  times: z.number().int().positive().optional(),
});
export type FaultRule = z.infer<typeof ruleSchema>;

const SSL_REQUEST = 80877103;
const MATCHED_TYPES = new Set(["Q", "P", "B"]);

export interface FaultProxy {
  url: string;
  controlUrl: string;
  close(): Promise<void>;
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const rules: (FaultRule & { hits: number })[] = [];
  const sockets = new Set<Socket>();
  let down = false;

  const match = (payload: Buffer, statement: string) => {
    const text = payload.toString("latin1");
    const rule = rules.find(
      (r) =>
        (r.times === undefined || r.hits < r.times) &&
        text.includes(r.marker) &&
        (r.statement === undefined || statement.includes(r.statement)),
    );
    if (rule) rule.hits++;
    return rule;
  };

  const proxy = createServer((client) => {
    if (down) {
      refuse(client);
      return;
    }
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", () => sockets.delete(client) && upstream.end());
    upstream.on("close", () => sockets.delete(upstream) && client.end());
    client.on("error", closeBoth);
    upstream.on("error", closeBoth);
    // Answers wait here while a delay rule holds this connection back.
    let heldUntil = 0;
    let answers = Promise.resolve();
    upstream.on("data", (data) => {
      const wait = heldUntil - Date.now();
      if (wait <= 0) {
        answers = answers.then(() => void client.write(data));
        return;
      }
      answers = answers.then(async () => {
        await new Promise((r) => setTimeout(r, Math.max(0, heldUntil - Date.now())));
        if (!client.destroyed) client.write(data);
      });
    });

    let pending = Buffer.alloc(0);
    let startup = true;
    // The SQL of the statement being bound: a Bind carries only parameters.
    let statement = "";
    client.on("data", (data) => {
      pending = Buffer.concat([pending, data]);
      for (;;) {
        const message = nextMessage(pending, startup);
        if (!message) break;
        pending = pending.subarray(message.length);
        if (startup && !message.sslRequest) startup = false;
        if (message.type === "P" || message.type === "Q") statement = message.bytes.toString("latin1");
        const rule =
          message.type && MATCHED_TYPES.has(message.type) ? match(message.bytes, statement) : undefined;
        if (rule?.action === "drop") return closeBoth();
        if (rule?.action === "delay") heldUntil = Date.now() + rule.ms;
        upstream.write(message.bytes);
      }
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));

  const control = createHttpServer(async (req, res) => {
    const body = await new Promise<string>((resolve) => {
      let text = "";
      req.on("data", (c: Buffer) => (text += c.toString()));
      req.on("end", () => resolve(text));
    });
    res.setHeader("content-type", "application/json");
    if (req.method === "POST" && req.url === "/rules") {
      const rule = ruleSchema.safeParse(JSON.parse(body || "{}"));
      if (!rule.success) {
        res.writeHead(400).end(JSON.stringify({ error: rule.error.message }));
        return;
      }
      rules.unshift({ ...rule.data, hits: 0 });
      res.writeHead(201).end(JSON.stringify({ ok: true }));
    } else if (req.method === "DELETE" && req.url?.startsWith("/rules/")) {
      const marker = decodeURIComponent(req.url.slice("/rules/".length));
      for (let i = rules.length - 1; i >= 0; i--) if (rules[i]?.marker === marker) rules.splice(i, 1);
      res.writeHead(200).end(JSON.stringify({ ok: true }));
    } else if (req.method === "POST" && req.url === "/outage") {
      down = z.object({ down: z.boolean() }).parse(JSON.parse(body || "{}")).down;
      if (down) for (const s of sockets) s.destroy();
      res.writeHead(200).end(JSON.stringify({ down }));
    } else if (req.method === "GET" && req.url === "/rules") {
      res.writeHead(200).end(JSON.stringify(rules));
    } else {
      res.writeHead(404).end(JSON.stringify({ error: "not found" }));
    }
  });
  await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));

  const proxyPort = addressPort(proxy.address());
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${proxyPort}/postgres`,
    controlUrl: `http://127.0.0.1:${addressPort(control.address())}`,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([new Promise((r) => proxy.close(r)), new Promise((r) => control.close(r))]);
    },
  };
}

/** Answers a connection's start-up with FATAL 08006 (connection failure) and closes it. */
function refuse(client: Socket): void {
  let pending = Buffer.alloc(0);
  client.on("error", () => client.destroy());
  client.on("data", (data) => {
    pending = Buffer.concat([pending, data]);
    const message = nextMessage(pending, true);
    if (!message) return;
    pending = pending.subarray(message.length);
    if (message.sslRequest) {
      client.write("N");
      return;
    }
    const fields = ["SFATAL", "VFATAL", "C08006", "Mthe database is not reachable (fault proxy outage)"];
    const body = Buffer.concat([...fields.map((f) => Buffer.from(`${f}\0`)), Buffer.from([0])]);
    const header = Buffer.alloc(5);
    header.write("E", 0);
    header.writeInt32BE(body.length + 4, 1);
    client.end(Buffer.concat([header, body]));
  });
}

/** The next complete frontend message in `buffer`, or null if more bytes are needed. */
function nextMessage(
  buffer: Buffer,
  startup: boolean,
): { type: string | null; bytes: Buffer; length: number; sslRequest: boolean } | null {
  if (startup) {
    if (buffer.length < 8) return null;
    const length = buffer.readInt32BE(0);
    if (buffer.length < length) return null;
    return {
      type: null,
      bytes: buffer.subarray(0, length),
      length,
      sslRequest: buffer.readInt32BE(4) === SSL_REQUEST,
    };
  }
  if (buffer.length < 5) return null;
  const length = buffer.readInt32BE(1) + 1;
  if (buffer.length < length) return null;
  return {
    type: String.fromCharCode(buffer[0] ?? 0),
    bytes: buffer.subarray(0, length),
    length,
    sslRequest: false,
  };
}

function addressPort(address: ReturnType<ReturnType<typeof createServer>["address"]>): number {
  if (address && typeof address === "object") return address.port;
  throw new Error("server is not listening on a TCP port");
}
