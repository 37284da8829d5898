/**
 * `npm run bench`: the system's own overhead per turn, measured end to end over HTTP against `wrangler dev`
 * (real workerd, Durable Objects, Queues) with a local PGlite + pgvector and the fake model answering in 0 ms,
 * so what is measured is everything but the model. Scenarios: a turn without tools, a search_kb turn and a
 * get_order turn (one stream, TURNS each, p50/p95), then 20 concurrent threads (throughput, and a check that no
 * message was lost, duplicated or answered out of order). Prints a table.
 *
 * Then the floor: a minimal Worker + Durable Object (bench/floor/) making the same streamed call to the same
 * fake model with a system prompt of the agent's measured size and the same tools. The agent's no-tool turn and
 * the floor's turn are measured interleaved, in BENCH_ROUNDS rounds of BENCH_ROUND_TURNS turns each (which
 * goes first alternates), so a busy moment of the machine weighs on both; the ratio of the p50s is what the
 * agent costs beyond the platform.
 */
import "../scripts/launcher.ts";
import { fileURLToPath } from "node:url";
import { startLocalPostgres } from "../db/local-postgres.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { percentiles } from "../evals/retrieval-metrics.ts";
import { started, step } from "../scripts/lifecycle.ts";
import { seedDemo } from "../scripts/seed.ts";
import { startWranglerDev } from "../scripts/wrangler-dev.ts";
import { startFakeLlm } from "../test-tools/fake-llm/server.ts";

const TURNS = Number(process.env.BENCH_TURNS ?? 300);
const THREADS = 20;
const TURNS_PER_THREAD = Number(process.env.BENCH_TURNS_PER_THREAD ?? 15);
const TARGETS = { noTool: 30, oneTool: 60 };
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const ROUND_TURNS = Number(process.env.BENCH_ROUND_TURNS ?? 20);
const FLOOR_CONFIG = fileURLToPath(new URL("floor/wrangler.jsonc", import.meta.url));

// Ctrl-C stops these (newest first) through scripts/lifecycle.ts; the run's own end stops them in `finally`.
const pg = await started(startLocalPostgres(), (p) => p.stop());
await step(migrateDatabase(pg.url));
const seeded = await step(seedDemo(pg.url));
const llm = await started(startFakeLlm({ latencyMs: 0 }), (l) => l.close());
const dev = await step(
  startWranglerDev({
    databaseUrl: pg.url,
    vars: {
      LLM_BASE_URL: llm.url,
      LLM_API_KEY: "bench",
      LLM_MODEL: "bench-primary",
      LLM_FALLBACK_MODEL: "bench-fallback",
      LOG_LEVEL: "warn",
      // One client sends every request: the per-client limits would measure themselves.
      RATE_LIMITS: "off",
    },
  }),
);

interface Reply {
  thread_id: string;
  thread_token?: string;
  message: { id: string; content: string; meta: { outcome?: string; brain?: string } };
}

async function send(
  message: string,
  thread?: { id: string; token: string },
  base = `${dev.url}/api/agent/messages`,
): Promise<{ ms: number; reply: Reply }> {
  const started = performance.now();
  const response = await fetch(base, {
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

type Scenario = { name: string; script: (label: string) => void; outcome: string; target: number };

const scenarios: Scenario[] = [
  {
    name: "no tool",
    target: TARGETS.noTool,
    outcome: "answered",
    script: (label) =>
      llm.addRule({ match: label, responses: [{ text: "Happy to help! What would you like to know?" }] }),
  },
  {
    name: "search_kb",
    target: TARGETS.oneTool,
    outcome: "answered",
    script: (label) =>
      llm.addRule({
        match: label,
        responses: [
          { tool_calls: [{ name: "search_kb", arguments: { query: "how long do refunds take", top_k: 3 } }] },
          { text: "Refunds reach your account a few business days after we receive the return [S1]." },
        ],
      }),
  },
  {
    name: "get_order",
    target: TARGETS.oneTool,
    outcome: "answered",
    script: (label) =>
      llm.addRule({
        match: label,
        responses: [
          {
            tool_calls: [
              { name: "get_order", arguments: { order_id: "FH-100231", email: "ana.kovac@example.com" } },
            ],
          },
          { text: "Your order FH-100231 has shipped." },
        ],
      }),
  },
];

const rows: string[][] = [];
let floor: Awaited<ReturnType<typeof startWranglerDev>> | undefined;
let floorRows: string[][] = [];
try {
  // Warm up: module load, first Durable Object, first connections.
  for (let i = 0; i < 20; i++) {
    const label = `warmup-${i}`;
    llm.addRule({ match: label, responses: [{ text: "ok" }] });
    await send(label);
  }
  for (const scenario of scenarios) {
    const times: number[] = [];
    const outcomes = new Map<string, number>();
    let thread: { id: string; token: string } | undefined;
    for (let i = 0; i < TURNS; i++) {
      // One conversation per 10 turns: a stream of visitors, each with a few messages.
      if (i % 10 === 0) thread = undefined;
      const label = `bench ${scenario.name} turn ${i}`;
      scenario.script(label);
      const { ms, reply } = await send(label, thread);
      thread ??= { id: reply.thread_id, token: reply.thread_token ?? "" };
      times.push(ms);
      // Counted as unexpected unless the fake model answered: a benchmark of the wrong brain measures nothing.
      const outcome =
        reply.message.meta.brain === "llm" ? (reply.message.meta.outcome ?? "none") : "not the model";
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    const { p50, p95 } = percentiles(times);
    const unexpected = [...outcomes].filter(([o]) => o !== scenario.outcome);
    rows.push([
      scenario.name,
      String(TURNS),
      p50.toFixed(1),
      p95.toFixed(1),
      `<= ${scenario.target}`,
      p95 <= scenario.target ? "met" : "MISSED",
      unexpected.length === 0 ? "all answered" : unexpected.map(([o, n]) => `${o}: ${n}`).join(", "),
    ]);
  }
  rows.push(await concurrency());
  floorRows = await floorComparison();
} finally {
  await floor?.stop();
  await dev.stop();
  await llm.close();
  await pg.stop();
}

console.log(
  `\nTurn overhead with the fake model at 0 ms (${seeded.chunks} KB chunks, ${seeded.orders} orders), ms over HTTP:\n`,
);
printTable(["scenario", "turns", "p50", "p95", "target p95", "", "outcomes"], rows);
console.log(
  `\nAgent vs floor (a bare Worker + Durable Object, same model call), no-tool turns, ${ROUNDS} interleaved rounds of ${ROUND_TURNS}, ms over HTTP:\n`,
);
printTable(
  ["", "turns", "p50", "p95", "p50 ratio", "p95 ratio", "per-round p50 ratio: median (range)"],
  floorRows,
);

/**
 * The agent's no-tool turn against the floor's, interleaved. The floor is configured from the agent's own
 * request as the fake model saw it: the system prompt's length and the tools offered.
 */
async function floorComparison(): Promise<string[][]> {
  const probe = "bench floor probe";
  llm.addRule({ match: probe, responses: [{ text: "Happy to help! What would you like to know?" }] });
  await send(probe);
  const seen = llm.requests({ match: probe }).at(-1);
  const system = seen?.messages[0];
  const systemChars =
    typeof system === "object" && system && "content" in system && typeof system.content === "string"
      ? system.content.length
      : 0;
  floor = await step(
    startWranglerDev({
      databaseUrl: pg.url,
      config: FLOOR_CONFIG,
      vars: {
        LLM_BASE_URL: llm.url,
        LLM_MODEL: "bench-primary",
        FLOOR_SYSTEM_CHARS: String(systemChars),
        FLOOR_TOOLS: (seen?.tools ?? []).join(","),
      },
    }),
  );
  const floorUrl = `${floor.url}/messages`;
  const sides = {
    agent: {
      base: `${dev.url}/api/agent/messages`,
      times: [] as number[],
      rounds: [] as number[][],
      unexpected: 0,
    },
    floor: { base: floorUrl, times: [] as number[], rounds: [] as number[][], unexpected: 0 },
  };
  const run = async (name: keyof typeof sides, round: number, warmup = false) => {
    const side = sides[name];
    let thread: { id: string; token: string } | undefined;
    for (let i = 0; i < ROUND_TURNS; i++) {
      if (i % 10 === 0) thread = undefined;
      const label = `bench floor ${name} r${round} t${i}`;
      llm.addRule({ match: label, responses: [{ text: "Happy to help! What would you like to know?" }] });
      const { ms, reply } = await send(label, thread, side.base);
      thread ??= { id: reply.thread_id, token: reply.thread_token ?? "" };
      if (warmup) continue;
      side.times.push(ms);
      side.rounds[round] = [...(side.rounds[round] ?? []), ms];
      if (reply.message.meta.brain !== "llm" || reply.message.meta.outcome !== "answered") side.unexpected++;
    }
  };
  await run("floor", -1, true);
  for (let round = 0; round < ROUNDS; round++) {
    const order: (keyof typeof sides)[] = round % 2 === 0 ? ["agent", "floor"] : ["floor", "agent"];
    for (const name of order) await run(name, round);
  }
  const agent = percentiles(sides.agent.times);
  const base = percentiles(sides.floor.times);
  // Each round's ratio compares turns measured seconds apart: on a machine whose load moves, their median is
  // steadier than the ratio of the pooled figures.
  const perRound = sides.agent.rounds
    .map((times, r) => percentiles(times).p50 / percentiles(sides.floor.rounds[r] ?? []).p50)
    .sort((a, b) => a - b);
  const middle = perRound[Math.floor(perRound.length / 2)] ?? Number.NaN;
  const roundRatio = `${middle.toFixed(2)}x (${(perRound[0] ?? 0).toFixed(2)}-${(perRound.at(-1) ?? 0).toFixed(2)})`;
  const row = (
    name: string,
    p: { p50: number; p95: number },
    n: number,
    ratio: boolean,
    unexpected: number,
  ) => [
    `${name}${unexpected ? ` (${unexpected} not answered by the model)` : ""}`,
    String(n),
    p.p50.toFixed(1),
    p.p95.toFixed(1),
    ratio ? `${(agent.p50 / base.p50).toFixed(2)}x` : "",
    ratio ? `${(agent.p95 / base.p95).toFixed(2)}x` : "",
    ratio ? roundRatio : "",
  ];
  return [
    row("agent", agent, sides.agent.times.length, true, sides.agent.unexpected),
    row(
      `floor (system prompt ${systemChars} chars, ${seen?.tools.length ?? 0} tools)`,
      base,
      sides.floor.times.length,
      false,
      sides.floor.unexpected,
    ),
  ];
}

/** 20 threads at once, TURNS_PER_THREAD messages each, all sent without waiting for the previous answer. */
async function concurrency(): Promise<string[]> {
  const threads = await Promise.all(
    Array.from({ length: THREADS }, async (_, t) => {
      const label = `bench concurrent open ${t}`;
      llm.addRule({ match: label, responses: [{ text: "Hello!" }] });
      const { reply } = await send(label);
      return { id: reply.thread_id, token: reply.thread_token ?? "" };
    }),
  );
  const started = performance.now();
  const results = await Promise.all(
    threads.flatMap((thread, t) =>
      Array.from({ length: TURNS_PER_THREAD }, async (_, i) => {
        const label = `bench concurrent t${t} m${i}`;
        llm.addRule({ match: label, responses: [{ text: `answer to t${t} m${i}` }] });
        return { thread: t, i, ...(await send(label, thread)) };
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const latency = percentiles(results.map((r) => r.ms));
  // Every message answered once, with its own answer, and each thread's history alternates in order.
  let lost = 0;
  let duplicated = 0;
  let misordered = 0;
  for (const r of results) if (r.reply.message.content !== `answer to t${r.thread} m${r.i}`) lost++;
  for (const thread of threads) {
    const response = await fetch(`${dev.url}/api/agent/thread/${thread.id}?limit=100`, {
      headers: { authorization: `Bearer ${thread.token}` },
    });
    const view = (await response.json()) as { messages: { role: string; content: string }[] };
    const users = view.messages.filter((m) => m.role === "user").map((m) => m.content);
    const expected = TURNS_PER_THREAD + 1;
    if (users.length < expected) lost += expected - users.length;
    if (new Set(users).size !== users.length) duplicated++;
    for (let k = 0; k + 1 < view.messages.length; k += 2) {
      const question = view.messages[k]?.content ?? "";
      const answer = view.messages[k + 1]?.content ?? "";
      const tag = /t\d+ m\d+$/.exec(question)?.[0];
      if (tag && answer !== `answer to ${tag}`) misordered++;
    }
  }
  const turns = THREADS * TURNS_PER_THREAD;
  return [
    `${THREADS} threads at once`,
    String(turns),
    latency.p50.toFixed(1),
    latency.p95.toFixed(1),
    "0 lost/dup",
    lost + duplicated + misordered === 0 ? "met" : "MISSED",
    `${(turns / seconds).toFixed(0)} turns/s; lost ${lost}, duplicated ${duplicated}, out of order ${misordered}`,
  ];
}

function printTable(header: string[], body: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of body) console.log(line(row));
}
