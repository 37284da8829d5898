/**
 * Serves a PGlite database over the Postgres wire protocol to many connections. PGlite has one session, so
 * connections take turns: from a client's first message up to its Sync (extended protocol) or its Query
 * (simple protocol) no other connection is served, nor while a connection has a transaction open.
 * pglite-socket interleaves single messages of different connections, which breaks the unnamed portal of
 * concurrent extended-protocol queries ("portal does not exist"); this server keeps each exchange whole.
 * `close()` refuses new connections, closes every client socket, waits for their close and for the exchange in
 * flight, and only then resolves, so the caller can close the database without a query meeting it closed.
 */
import { createServer, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
/** Message types after which the client waits for the server. */
const WAITS_FOR_SERVER = new Set(["S", "Q", "X", "H", "c", "f"]);
/** Message types that end an exchange: after them another connection may use the session. */
const ENDS_EXCHANGE = new Set(["S", "Q", "X"]);

interface Batch {
  connection: number;
  bytes: Uint8Array;
  /** False for a Flush in the middle of an extended-protocol exchange (Parse/Describe, then Bind/Execute/Sync). */
  endsExchange: boolean;
  socket: Socket;
  done: () => void;
}

export interface PgliteServer {
  port: number;
  close(): Promise<void>;
}

export async function servePglite(
  db: PGlite,
  options: { host?: string; port?: number } = {},
): Promise<PgliteServer> {
  const queue: Batch[] = [];
  const sockets = new Set<Socket>();
  let owner: number | null = null;
  let running = false;
  /** Settles when the exchange in flight (if any) is done; close() waits for it. */
  let idle: Promise<void> = Promise.resolve();
  let closing = false;
  let nextConnection = 1;

  const pump = async () => {
    if (running) return;
    running = true;
    let settle = () => {};
    idle = new Promise<void>((resolve) => {
      settle = resolve;
    });
    try {
      for (;;) {
        if (closing) {
          // Nobody is listening any more; release the waiting connections without touching the database.
          for (const batch of queue.splice(0)) batch.done();
          break;
        }
        // Inside a transaction only its own connection may speak: the session is shared.
        const index = owner === null ? 0 : queue.findIndex((b) => b.connection === owner);
        const batch = index >= 0 ? queue.splice(index, 1)[0] : undefined;
        if (!batch) break;
        try {
          await db.execProtocolRawStream(batch.bytes, {
            onRawData: (data) => {
              if (!batch.socket.destroyed) batch.socket.write(data);
            },
          });
        } catch {
          batch.socket.destroy();
        }
        owner = !closing && (db.isInTransaction() || !batch.endsExchange) ? batch.connection : null;
        batch.done();
      }
    } finally {
      running = false;
      settle();
    }
  };

  const server: Server = createServer((socket) => {
    const connection = nextConnection++;
    sockets.add(socket);
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let startup = true;
    let pending: Buffer[] = [];
    let chain = Promise.resolve();

    const submit = (bytes: Buffer, endsExchange: boolean) => {
      chain = chain.then(
        () =>
          new Promise<void>((done) => {
            queue.push({ connection, bytes: new Uint8Array(bytes), endsExchange, socket, done });
            void pump();
          }),
      );
    };

    socket.on("data", (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      for (;;) {
        if (startup) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          const message = buffer.subarray(0, length);
          buffer = buffer.subarray(length);
          if (code === SSL_REQUEST) {
            socket.write("N");
          } else if (code === CANCEL_REQUEST) {
            socket.end();
            return;
          } else {
            startup = false;
            submit(Buffer.from(message), true);
          }
          continue;
        }
        if (buffer.length < 5) return;
        const length = buffer.readInt32BE(1) + 1;
        if (buffer.length < length) return;
        const type = String.fromCharCode(buffer[0] ?? 0);
        pending.push(Buffer.from(buffer.subarray(0, length)));
        buffer = buffer.subarray(length);
        if (WAITS_FOR_SERVER.has(type)) {
          submit(Buffer.concat(pending), ENDS_EXCHANGE.has(type));
          pending = [];
        }
      }
    });
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      sockets.delete(socket);
      for (let i = queue.length - 1; i >= 0; i--)
        if (queue[i]?.connection === connection) queue.splice(i, 1)[0]?.done();
      if (owner === connection) {
        // A client that vanished inside a transaction must not keep everyone else waiting.
        owner = null;
        if (closing) return;
        void db
          .exec("ROLLBACK")
          .catch(() => {})
          .finally(() => void pump());
      }
    });
  });

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve),
  );
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("the Postgres server is not on a TCP port");
  return {
    port: address.port,
    async close() {
      closing = true;
      const closed = [...sockets].map(
        (socket) => new Promise((resolve) => (socket.closed ? resolve(null) : socket.once("close", resolve))),
      );
      const listening = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await Promise.all([...closed, listening]);
      await idle;
    },
  };
}
