/**
 * stopTethered stops the whole group a tethered command started, not only the command: a shell that started a
 * background sleep (as wrangler starts workerd, or php -S its workers) leaves no process behind.
 */
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { spawnTethered, stopTethered } from "./tethered.ts";

function alive(pid: number): boolean {
  try {
    // A zombie is already dead; only its parent has not reaped it yet.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

describe("stopTethered", () => {
  it("stops the command and what it started in its group", async () => {
    const child = spawnTethered("sh", ["-c", "sleep 60 & echo $!; wait"], { cwd: tmpdir() });
    const grandchild = await new Promise<number>((resolve) =>
      child.stdout?.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
    );
    expect(alive(grandchild)).toBe(true);
    await stopTethered(child);
    expect(child.exitCode !== null || child.signalCode !== null).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(grandchild)).toBe(false);
  });
});
