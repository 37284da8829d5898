/**
 * The floor `npm run bench` compares the agent with: the least a Worker and a Durable Object can do for one
 * chat turn. The Worker routes the message to the thread's Durable Object by name; the object reads the recent
 * history from its SQLite, makes the same streamed model call as the agent (a system prompt of the agent's size,
 * the same tool definitions, the real openai client), stores the message and the reply in one transaction and
 * answers. No config, no guardrails, no Postgres: what is left is the platform's own cost. bench/turns.ts runs
 * it with wrangler dev (bench/floor/wrangler.jsonc) against the same fake model, interleaved with the agent.
 */
import { DurableObject } from "cloudflare:workers";
import OpenAI from "openai";
import { toolSpecs } from "../../core/brain/tool-specs.ts";
import { toolNameSchema } from "../../core/hands/registry.ts";

interface FloorEnv {
  FLOOR: DurableObjectNamespace<FloorThread>;
  LLM_BASE_URL: string;
  LLM_MODEL: string;
  /** The length of the agent's system prompt, measured by the bench on the agent's own request. */
  FLOOR_SYSTEM_CHARS: string;
  /** The tools the agent offered in that request, comma-separated. */
  FLOOR_TOOLS: string;
}

export class FloorThread extends DurableObject<FloorEnv> {
  private readonly client: OpenAI;
  private readonly system: string;
  private readonly tools: ReturnType<typeof toolSpecs>;

  constructor(ctx: DurableObjectState, env: FloorEnv) {
    super(ctx, env);
    this.client = new OpenAI({ baseURL: env.LLM_BASE_URL, apiKey: "bench", maxRetries: 0 });
    this.system = "You are a support agent. ".padEnd(Number(env.FLOOR_SYSTEM_CHARS) || 0, "x");
    this.tools = toolSpecs(
      (env.FLOOR_TOOLS ?? "").split(",").flatMap((name) => {
        const parsed = toolNameSchema.safeParse(name);
        return parsed.success ? [parsed.data] : [];
      }),
    );
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, role TEXT NOT NULL, content TEXT NOT NULL)",
    );
  }

  async turn(message: string): Promise<string> {
    const history = this.ctx.storage.sql
      .exec<{ role: "user" | "assistant"; content: string }>(
        "SELECT role, content FROM (SELECT seq, role, content FROM messages ORDER BY seq DESC LIMIT 20) ORDER BY seq",
      )
      .toArray();
    const stream = await this.client.chat.completions.create({
      model: this.env.LLM_MODEL,
      messages: [
        { role: "system", content: this.system },
        ...history.map((h) => ({ role: h.role, content: h.content })),
        { role: "user", content: message },
      ],
      ...(this.tools.length > 0 ? { tools: this.tools, tool_choice: "auto" as const } : {}),
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    this.ctx.storage.transactionSync(() => {
      this.ctx.storage.sql.exec("INSERT INTO messages (role, content) VALUES ('user', ?)", message);
      this.ctx.storage.sql.exec("INSERT INTO messages (role, content) VALUES ('assistant', ?)", text);
    });
    return text;
  }
}

export default {
  async fetch(request: Request, env: FloorEnv): Promise<Response> {
    if (request.method === "GET") return new Response("ok");
    const body: unknown = await request.json();
    const message = typeof body === "object" && body && "message" in body ? String(body.message) : "";
    const given = typeof body === "object" && body && "thread_id" in body ? String(body.thread_id) : "";
    const threadId = given || crypto.randomUUID();
    const content = await env.FLOOR.getByName(threadId).turn(message);
    return Response.json(
      {
        thread_id: threadId,
        thread_token: "floor",
        message: { content, meta: { brain: "llm", outcome: "answered" } },
      },
      { status: given ? 200 : 201 },
    );
  },
} satisfies ExportedHandler<FloorEnv>;
