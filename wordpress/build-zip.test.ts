import { inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { zip } from "./build-zip.ts";

/** Reads a zip back through its central directory, as an unzip tool would. */
function entries(archive: Buffer): { name: string; data: Buffer }[] {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const out: { name: string; data: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const packedSize = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    const dataStart = local + 30 + archive.readUInt16LE(local + 26);
    out.push({ name, data: inflateRawSync(archive.subarray(dataStart, dataStart + packedSize)) });
    at += 46 + nameLength;
  }
  return out;
}

describe("zip", () => {
  it("round-trips names (UTF-8) and contents", () => {
    const input = [
      { name: "support-agent/support-agent.php", data: Buffer.from("<?php\n// plugin\n".repeat(50)) },
      { name: "support-agent/readme-ü.txt", data: Buffer.from("Grüße") },
      { name: "support-agent/empty.txt", data: Buffer.alloc(0) },
    ];
    expect(entries(zip(input))).toEqual(input);
  });

  it("gives the same bytes for the same input", () => {
    const input = [{ name: "a.txt", data: Buffer.from("same") }];
    expect(zip(input).equals(zip(input))).toBe(true);
  });
});
