import { describe, expect, it } from "vitest";
import { call } from "../../test-tools/agent-api.ts";

const ADMIN = { authorization: "Bearer test-admin-token-0123456789abcdef" };
const JSON_ADMIN = { ...ADMIN, "content-type": "application/json" };

const create = (body: unknown, headers: Record<string, string> = JSON_ADMIN) =>
  call("/api/admin/webhooks", { method: "POST", headers, body: JSON.stringify(body) });

describe("admin webhooks API", () => {
  it("creates an endpoint with a Standard Webhooks secret shown once, lists it without, deletes it", async () => {
    const response = await create({
      url: "https://shop.example/wp-json/support-agent/v1/webhook",
      events: ["ticket.created", "handoff.requested", "ticket.created"],
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; secret: string };
    expect(created.id).toMatch(/^wh_[0-9a-f]{32}$/);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(atob(created.secret.slice(6))).toHaveLength(32);

    const list = await call("/api/admin/webhooks", { headers: ADMIN });
    expect(list.status).toBe(200);
    const text = await list.text();
    expect(text).not.toContain(created.secret.slice(6));
    const { webhooks } = JSON.parse(text) as { webhooks: Record<string, unknown>[] };
    expect(webhooks.find((w) => w.id === created.id)).toEqual({
      id: created.id,
      url: "https://shop.example/wp-json/support-agent/v1/webhook",
      events: ["ticket.created", "handoff.requested"],
      include_content: false,
      created_at: expect.any(String),
    });

    const deleted = await call(`/api/admin/webhooks/${created.id}`, { method: "DELETE", headers: ADMIN });
    expect(deleted.status).toBe(204);
    const again = await call(`/api/admin/webhooks/${created.id}`, { method: "DELETE", headers: ADMIN });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ error: { code: "not_found:webhook" } });
    const after = (await (await call("/api/admin/webhooks", { headers: ADMIN })).json()) as {
      webhooks: { id: string }[];
    };
    expect(after.webhooks.map((w) => w.id)).not.toContain(created.id);
  });

  it("takes plain http only on loopback", async () => {
    for (const url of ["http://127.0.0.1:9/hook", "http://localhost/hook", "http://[::1]:8080/hook"]) {
      const response = await create({ url, events: ["conversation.closed"] });
      expect(response.status).toBe(201);
      // Deleted again: other test files close conversations, and nothing listens at these addresses.
      const { id } = (await response.json()) as { id: string };
      expect((await call(`/api/admin/webhooks/${id}`, { method: "DELETE", headers: ADMIN })).status).toBe(
        204,
      );
    }
  });

  it("refuses bad URLs, unknown or missing events and unknown fields with invalid_input codes", async () => {
    const cases: [unknown, string][] = [
      [{ url: "http://shop.example/hook", events: ["ticket.created"] }, "invalid_input:url"],
      [{ url: "http://10.0.0.1/hook", events: ["ticket.created"] }, "invalid_input:url"],
      [{ url: "javascript:alert(1)", events: ["ticket.created"] }, "invalid_input:url"],
      [{ url: "ftp://shop.example/hook", events: ["ticket.created"] }, "invalid_input:url"],
      [{ url: "https://user:pw@shop.example/hook", events: ["ticket.created"] }, "invalid_input:url"],
      [{ url: "not a url", events: ["ticket.created"] }, "invalid_input:url"],
      [{ events: ["ticket.created"] }, "invalid_input:url"],
      [{ url: "https://shop.example/hook", events: ["message.created"] }, "invalid_input:events"],
      [{ url: "https://shop.example/hook", events: [] }, "invalid_input:events"],
      [{ url: "https://shop.example/hook" }, "invalid_input:events"],
      [{ url: "https://shop.example/hook", events: ["ticket.created"], secret: "x" }, "invalid_input:body"],
    ];
    for (const [body, code] of cases) {
      const response = await create(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code, JSON.stringify(body)).toBe(
        code,
      );
    }
    const notJson = await call("/api/admin/webhooks", {
      method: "POST",
      headers: { ...ADMIN, "content-type": "text/plain" },
      body: "{}",
    });
    expect(notJson.status).toBe(415);
  });

  it("refuses every webhook request without the admin token", async () => {
    const responses = [
      await create(
        { url: "https://shop.example/hook", events: ["ticket.created"] },
        {
          "content-type": "application/json",
        },
      ),
      await call("/api/admin/webhooks"),
      await call("/api/admin/webhooks/wh_0", { method: "DELETE" }),
    ];
    for (const response of responses) {
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "unauthorized:admin" } });
    }
  });
});
