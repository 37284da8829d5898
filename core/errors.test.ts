import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { apiErrors, errorStatus, isApiErrorCode, statusOf } from "./errors.ts";

const root = fileURLToPath(new URL("../", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/test/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

describe("the API's error codes", () => {
  it("are README's table, with the same status and meaning", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const table = readme.slice(
      readme.indexOf("<!-- error-codes -->"),
      readme.indexOf("<!-- /error-codes -->"),
    );
    const rows = [...table.matchAll(/^\| `([^`]+)` \| (\d{3}) \| (.+) \|$/gm)].map((m) => [
      m[1],
      Number(m[2]),
      m[3],
    ]);
    expect(rows).toEqual(
      Object.entries(apiErrors).map(([code, meaning]) => [
        code,
        statusOf(code.replace("<field>", "field") as `invalid_input:${string}`),
        meaning,
      ]),
    );
  });

  it("are the only codes the HTTP layer and the thread's error events use", () => {
    const kinds = Object.keys(errorStatus).join("|");
    const literal = new RegExp(`["\`]((?:${kinds}):[a-z_]+)["\`]`, "g");
    const files = [...sources("worker"), join(root, "durable-objects/conversation.ts")];
    const used = new Set(
      files.flatMap((f) => [...readFileSync(f, "utf8").matchAll(literal)].map((m) => m[1] ?? "")),
    );
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((code) => !isApiErrorCode(code))).toEqual([]);
  });

  it("take any field name for invalid_input and nothing outside the list", () => {
    expect(isApiErrorCode("invalid_input:thread_id")).toBe(true);
    expect(isApiErrorCode("not_found:order")).toBe(false);
    expect(isApiErrorCode("upstream:tool")).toBe(false);
  });
});
