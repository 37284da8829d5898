/**
 * Global setup of the Workers test projects: starts test-services.ts in a Node child process and provides
 * its URLs to the Worker config (Hyperdrive, the model endpoint) and to the tests.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

export default async function setup(project: TestProject) {
  const script = fileURLToPath(new URL("./test-services.ts", import.meta.url));
  const child = spawn(process.execPath, [script], { stdio: ["pipe", "pipe", "inherit"] });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`test services exited with ${code}`)));
  });
  const urls = JSON.parse(firstLine) as Record<
    | "databaseUrl"
    | "directDatabaseUrl"
    | "faultControlUrl"
    | "fakeLlmUrl"
    | "fakeAccessUrl"
    | "fakeSlackUrl"
    | "mailOutboxUrl"
    | "webhookReceiverUrl",
    string
  >;
  project.provide("databaseUrl", urls.databaseUrl);
  project.provide("directDatabaseUrl", urls.directDatabaseUrl);
  project.provide("faultControlUrl", urls.faultControlUrl);
  project.provide("fakeLlmUrl", urls.fakeLlmUrl);
  project.provide("fakeAccessUrl", urls.fakeAccessUrl);
  project.provide("fakeSlackUrl", urls.fakeSlackUrl);
  project.provide("mailOutboxUrl", urls.mailOutboxUrl);
  project.provide("webhookReceiverUrl", urls.webhookReceiverUrl);
  return async () => {
    child.stdin?.end();
    await new Promise((resolve) => child.once("exit", resolve));
  };
}
