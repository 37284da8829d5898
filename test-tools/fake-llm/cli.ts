// Runs the fake LLM as a standalone process for callers that cannot import it: wrangler dev / workerd,
// benchmarks, evals and manual poking with curl. Prints the base URL on stdout (one line, so scripts can
// read it) and runs until SIGINT/SIGTERM.
//   npx node test-tools/fake-llm/cli.ts --port 8787 --latency 50

import { parseArgs } from "node:util";
import { startFakeLlm } from "./server.ts";

function numberOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer`);
  return parsed;
}

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    latency: { type: "string", default: "0" },
    "no-auth": { type: "boolean", default: false },
  },
});

const fake = await startFakeLlm({
  port: numberOption(values.port, "port", 0),
  host: values.host,
  latencyMs: numberOption(values.latency, "latency", 0),
  requireApiKey: !values["no-auth"],
});
console.log(fake.url);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  fake.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error("fake-llm: close failed", error);
      process.exit(1);
    },
  );
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
