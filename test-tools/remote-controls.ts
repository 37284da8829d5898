/**
 * Test-side controls of the services around the Worker, usable from inside workerd: scripting the fake model
 * over its HTTP control API, injecting database faults through the fault proxy, and reading the record in
 * Postgres directly.
 */
import { inject } from "vitest";
import { openDb } from "../db/client.ts";
import type { Rule } from "./fake-llm/rules.ts";

export type { Rule };

const controlBase = () => inject("fakeLlmUrl").replace(/\/v1$/, "");

export async function addLlmRule(rule: Rule): Promise<void> {
  const response = await fetch(`${controlBase()}/_fake/rules`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(rule),
  });
  if (!response.ok) throw new Error(`fake-llm rule refused: ${await response.text()}`);
}

export interface RecordedLlmRequest {
  model: string;
  temperature: number | null;
  tools: string[];
  tool_choice: unknown;
  stream: boolean;
  messages: { role: string; content: unknown; tool_call_id?: string }[];
}

export async function llmRequests(match: string): Promise<RecordedLlmRequest[]> {
  const response = await fetch(`${controlBase()}/_fake/requests?match=${encodeURIComponent(match)}`);
  const body = (await response.json()) as { data: RecordedLlmRequest[] };
  return body.data;
}

/** Makes every database message carrying `marker` slow (delay) or fatal to its connection (drop). */
export async function addDbFault(rule: {
  marker: string;
  action: "delay" | "drop";
  statement?: string;
  ms?: number;
  times?: number;
}) {
  const response = await fetch(`${inject("faultControlUrl")}/rules`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(rule),
  });
  if (!response.ok) throw new Error(`fault rule refused: ${await response.text()}`);
}

/** Postgres down (every connection cut, new ones refused) or back. Only for a project that owns its database. */
export async function setDbOutage(down: boolean): Promise<void> {
  const response = await fetch(`${inject("faultControlUrl")}/outage`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ down }),
  });
  if (!response.ok) throw new Error(`outage refused: ${await response.text()}`);
}

export async function dbFaultHits(marker: string): Promise<number> {
  const rules = (await (await fetch(`${inject("faultControlUrl")}/rules`)).json()) as {
    marker: string;
    hits: number;
  }[];
  return rules.filter((r) => r.marker === marker).reduce((sum, r) => sum + r.hits, 0);
}

/** Runs a query against the test database directly (not through the fault proxy). */
export async function query<T>(run: (db: ReturnType<typeof openDb>["db"]) => Promise<T>): Promise<T> {
  const handle = openDb(inject("directDatabaseUrl"), { max: 1 });
  try {
    return await run(handle.db);
  } finally {
    await handle.close();
  }
}

/** Polls until `check` returns a value other than undefined (queue consumers run asynchronously). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}
