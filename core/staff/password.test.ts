import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "./password.ts";

describe("staff passwords", () => {
  it("verify the password they were made from and nothing else", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(stored).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterY", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("salt every hash", async () => {
    expect(await hashPassword("same password here")).not.toBe(await hashPassword("same password here"));
  });

  it("never match a malformed, foreign or over-expensive hash", async () => {
    const stored = await hashPassword("correct horse battery");
    const [, , salt, hash] = stored.split("$");
    for (const bad of [
      "",
      "plain",
      `bcrypt$10$${salt}$${hash}`,
      `pbkdf2-sha256$abc$${salt}$${hash}`,
      `pbkdf2-sha256$10000000$${salt}$${hash}`,
      `pbkdf2-sha256$100000$${salt}$!!!`,
    ]) {
      expect(await verifyPassword("correct horse battery", bad)).toBe(false);
    }
  });

  it("ask for 12 to 200 characters", () => {
    expect(passwordProblem("short")).toMatch(/12/);
    expect(passwordProblem("x".repeat(201))).toMatch(/200/);
    expect(passwordProblem("long enough pass")).toBeNull();
  });
});
