import { describe, expect, it } from "vitest";
import { tokenDisplayName, tokenSubject } from "./sign-in.ts";

const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const jwt = (claims: unknown) => `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}.c2lnbmF0dXJl`;

describe("tokenSubject", () => {
  it("reads sub from the payload, base64url without padding, UTF-8", () => {
    expect(tokenSubject(jwt({ sub: "1001", email: "ana@example.com" }))).toBe("1001");
    expect(tokenSubject(jwt({ sub: "wp-ä?>~", name: "Ana Kovač" }))).toBe("wp-ä?>~");
  });

  it("is null without a token or a usable sub", () => {
    expect(tokenSubject(null)).toBeNull();
    expect(tokenSubject("")).toBeNull();
    expect(tokenSubject("not-a-jwt")).toBeNull();
    expect(tokenSubject("a.!!!.c")).toBeNull();
    expect(tokenSubject(`a.${part("just a string")}.c`)).toBeNull();
    expect(tokenSubject(jwt({ sub: 1001 }))).toBeNull();
    expect(tokenSubject(jwt({ sub: "" }))).toBeNull();
  });
});

describe("tokenDisplayName", () => {
  it("names the visitor by display name, else by email", () => {
    expect(tokenDisplayName(jwt({ sub: "1", email: "ana@example.com", name: "Ana Kovač" }))).toBe(
      "Ana Kovač",
    );
    expect(tokenDisplayName(jwt({ sub: "1", email: "ana@example.com" }))).toBe("ana@example.com");
    expect(tokenDisplayName(jwt({ sub: "1", email: "ana@example.com", name: "" }))).toBe("ana@example.com");
  });

  it("is null without a token or a name to show", () => {
    expect(tokenDisplayName(null)).toBeNull();
    expect(tokenDisplayName("not-a-jwt")).toBeNull();
    expect(tokenDisplayName(jwt({ sub: "1", name: 7 }))).toBeNull();
  });
});
