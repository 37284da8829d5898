/**
 * The local mail outbox: a loopback HTTP server the Worker POSTs every email it sends to (MAIL_OUTBOX_URL),
 * because a Worker cannot write files. Each message is written as <time>-<n>.eml under `dir`
 * (.data/mail/outbox/ for npm start) and kept in memory for `GET /outbox?to=<address>`, which answers the
 * messages to that address as JSON, oldest first (tests read them so). Started by scripts/start.ts and by
 * test-tools/test-services.ts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import PostalMime from "postal-mime";

/** Larger bodies are refused: the agent's replies are a few kilobytes. */
const MAX_BYTES = 1024 * 1024;
/** Messages kept in memory for GET; the files stay. */
const KEEP = 1000;

export interface MailOutbox {
  /** The URL to set as MAIL_OUTBOX_URL. */
  url: string;
  close(): Promise<void>;
}

export interface StoredMail {
  file: string;
  to: string[];
  raw: string;
}

export async function startMailOutbox(options: { dir: string; port?: number }): Promise<MailOutbox> {
  mkdirSync(options.dir, { recursive: true });
  const kept: StoredMail[] = [];
  let count = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/outbox") return void res.writeHead(404).end();
    if (req.method === "GET") {
      const to = (url.searchParams.get("to") ?? "").toLowerCase();
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(JSON.stringify(kept.filter((m) => !to || m.to.includes(to))));
    }
    if (req.method !== "POST") return void res.writeHead(405).end();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_BYTES) return void res.writeHead(413).end();
      const raw = Buffer.concat(chunks).toString("utf8");
      count += 1;
      const file = join(options.dir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${count}.eml`);
      writeFileSync(file, raw);
      // The file is written; the parsed recipients only let tests read their own mail back.
      void PostalMime.parse(raw)
        .then((parsed) => parsed.to?.flatMap((a) => (a.address ? [a.address.toLowerCase()] : [])) ?? [])
        .catch(() => [])
        .then((to) => {
          kept.push({ file, to, raw });
          if (kept.length > KEEP) kept.shift();
          res.writeHead(201).end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/outbox`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
