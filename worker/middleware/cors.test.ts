import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../app.ts";
import { withConfig } from "./config.ts";
import { cors } from "./cors.ts";

function app() {
  let calls = 0;
  const a = new Hono<AppEnv>();
  a.use(withConfig());
  a.use("/api/*", cors());
  a.post("/api/agent/messages", (c) => {
    calls++;
    return c.json({ ok: true });
  });
  a.get(
    "/api/agent/stream",
    () => new Response("event: x\ndata: {}\n\n", { headers: { "content-type": "text/event-stream" } }),
  );
  return { a, calls: () => calls };
}

const env = { ALLOWED_ORIGINS: "https://shop.example, https://www.shop.example:8443/ignored-path  nonsense" };
const call = (a: Hono<AppEnv>, path: string, init: RequestInit) =>
  a.request(`https://agent.example${path}`, init, env);

describe("cors", () => {
  it("answers a preflight from an allowed origin", async () => {
    const { a, calls } = app();
    const res = await call(a, "/api/agent/messages", {
      method: "OPTIONS",
      headers: {
        origin: "https://shop.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, authorization",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("access-control-allow-headers")).toContain("authorization");
    expect(res.headers.get("access-control-allow-headers")).toContain("x-identity-token");
    expect(res.headers.get("access-control-max-age")).toBe("600");
    expect(calls()).toBe(0);
  });

  it("adds the allow header to an allowed request, JSON or streamed", async () => {
    const { a, calls } = app();
    const res = await call(a, "/api/agent/messages", {
      method: "POST",
      headers: { origin: "https://www.shop.example:8443", "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://www.shop.example:8443");
    expect(res.headers.get("vary")).toContain("Origin");
    expect(calls()).toBe(1);
    const stream = await call(a, "/api/agent/stream", { headers: { origin: "https://shop.example" } });
    expect(stream.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(await stream.text()).toContain("event: x");
  });

  it("rejects other origins before the route runs, preflight or not", async () => {
    const { a, calls } = app();
    const inits: RequestInit[] = [
      {
        method: "POST",
        headers: { origin: "https://evil.example", "content-type": "application/json" },
        body: "{}",
      },
      {
        method: "OPTIONS",
        headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
      },
      { method: "POST", headers: { origin: "null" }, body: "{}" },
      { method: "POST", headers: { origin: "https://shop.example.evil.example" }, body: "{}" },
      { method: "POST", headers: { origin: "http://shop.example" }, body: "{}" },
    ];
    for (const init of inits) {
      const res = await call(a, "/api/agent/messages", init);
      expect(res.status).toBe(403);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(await res.json()).toMatchObject({ error: { code: "forbidden:origin" } });
    }
    expect(calls()).toBe(0);
  });

  it("lets the Worker's own pages and non-browser clients through", async () => {
    const { a, calls } = app();
    const same = await call(a, "/api/agent/messages", {
      method: "POST",
      headers: { origin: "https://agent.example" },
    });
    expect(same.status).toBe(200);
    const curl = await call(a, "/api/agent/messages", { method: "POST" });
    expect(curl.status).toBe(200);
    expect(curl.headers.get("access-control-allow-origin")).toBeNull();
    expect(calls()).toBe(2);
  });
});
