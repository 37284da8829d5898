/**
 * The Postgres record of the agent (drizzle schema). Shared by the Worker, the Durable Objects, the queue
 * consumers and the Node tools (migrations, kb-loader, seed, benchmarks). Durable Object storage only holds a
 * bounded window; everything worth keeping lives here.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  vector,
} from "drizzle-orm/pg-core";

/** Embedding width: bge-small (Workers AI) and text-embedding-3-* with `dimensions: 384` both fit. */
export const EMBEDDING_DIMENSIONS = 384;

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const threads = pgTable(
  "threads",
  {
    id: uuid("id").primaryKey(),
    channel: text("channel").notNull(),
    status: text("status").notNull().default("open"),
    /** Verified identity of a logged-in visitor (from the site's signed token), never typed in by the visitor. */
    identitySub: text("identity_sub"),
    identityEmail: text("identity_email"),
    /** The staff member who has taken the conversation over (mirrors the Thread object, which decides). */
    ownerId: text("owner_id"),
    ownerName: text("owner_name"),
    /** When the conversation started waiting for a person; null when nobody is asked for. */
    waitingSince: timestamp("waiting_since", { withTimezone: true }),
    closedReason: text("closed_reason"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("threads_identity_idx").on(t.identitySub, t.updatedAt),
    index("threads_inbox_idx").on(t.status, t.updatedAt),
    // The ops metrics read conversations by when they started.
    index("threads_created_idx").on(t.createdAt),
  ],
);

export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey(),
    threadId: uuid("thread_id")
      .notNull()
      .references(() => threads.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    role: text("role").notNull(),
    content: text("content").notNull(),
    toolName: text("tool_name"),
    toolPayload: jsonb("tool_payload"),
    citations: jsonb("citations"),
    meta: jsonb("meta"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("messages_thread_seq_idx").on(t.threadId, t.seq),
    // The unanswered-questions report finds the reply of a search's turn by it.
    index("messages_turn_idx").on(t.threadId, sql`(${t.meta}->>'turnId')`),
    // The ops metrics count failed turns (assistant messages) by day.
    index("messages_created_idx").on(t.createdAt),
  ],
);

export const kbSources = pgTable("kb_sources", {
  id: text("id").primaryKey(),
  kind: text("kind").notNull(),
  location: text("location").notNull(),
  embeddingModel: text("embedding_model"),
  docCount: integer("doc_count").notNull().default(0),
  chunkCount: integer("chunk_count").notNull().default(0),
  lastLoadedAt: timestamp("last_loaded_at", { withTimezone: true }),
});

export const kbDocs = pgTable(
  "kb_docs",
  {
    id: text("id").primaryKey(),
    sourceId: text("source_id").notNull(),
    title: text("title").notNull(),
    url: text("url").notNull(),
    section: text("section"),
    allowedChannels: text("allowed_channels").array().notNull(),
    reviewed: boolean("reviewed").notNull().default(false),
    contentHash: text("content_hash").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }),
    loadedAt: timestamp("loaded_at", { withTimezone: true }).notNull().defaultNow(),
    /** en, es, de or fr (core/contracts/language.ts). */
    language: text("language").notNull().default("en"),
    /** A translation's English (or other original) article; null for an original. */
    translationOf: text("translation_of"),
  },
  (t) => [index("kb_docs_translation_idx").on(t.translationOf, t.language)],
);

/**
 * Full-text configuration by the chunk's language, so Spanish, German and French passages are stemmed and lose
 * their stop words as English ones do. Constants only: a generated column needs an immutable expression.
 */
const textSearchConfig = sql.raw(
  "(case language when 'es' then 'spanish'::regconfig when 'de' then 'german'::regconfig when 'fr' then 'french'::regconfig else 'english'::regconfig end)",
);

export const kbChunks = pgTable(
  "kb_chunks",
  {
    id: text("id").primaryKey(),
    docId: text("doc_id")
      .notNull()
      .references(() => kbDocs.id, { onDelete: "cascade" }),
    ordinal: integer("ordinal").notNull(),
    title: text("title").notNull(),
    sectionPath: text("section_path").notNull().default(""),
    body: text("body").notNull(),
    url: text("url").notNull(),
    allowedChannels: text("allowed_channels").array().notNull(),
    reviewed: boolean("reviewed").notNull().default(false),
    tokenCount: integer("token_count").notNull(),
    contentHash: text("content_hash").notNull(),
    /** The document's language and the article it translates (kb_docs), copied so search filters chunks alone. */
    language: text("language").notNull().default("en"),
    translationOf: text("translation_of"),
    /** Title and section weigh more than body text in full-text ranking. */
    tsv: tsvector("tsv")
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector(${textSearchConfig}, coalesce(title, '')), 'A') || setweight(to_tsvector(${textSearchConfig}, coalesce(section_path, '')), 'B') || setweight(to_tsvector(${textSearchConfig}, body), 'C')`,
      ),
    embedding: vector("embedding", { dimensions: EMBEDDING_DIMENSIONS }),
  },
  (t) => [
    index("kb_chunks_tsv_idx").using("gin", t.tsv),
    index("kb_chunks_embedding_idx").using("hnsw", t.embedding.op("vector_cosine_ops")),
    index("kb_chunks_doc_idx").on(t.docId),
  ],
);

/**
 * Corpus statistics for lexical ranking, rebuilt by kb-loader after every load: in how many searchable chunks each
 * lexeme occurs (for IDF). Postgres' own ts_rank has no IDF, which makes common words rank as high as rare ones.
 */
export const kbTerms = pgTable("kb_terms", {
  lexeme: text("lexeme").primaryKey(),
  chunkCount: integer("chunk_count").notNull(),
});

/** One row (id 'kb'): totals over searchable chunks for BM25's IDF and length normalisation. */
export const kbStats = pgTable("kb_stats", {
  id: text("id").primaryKey(),
  chunkCount: integer("chunk_count").notNull(),
  avgTokens: doublePrecision("avg_tokens").notNull(),
  refreshedAt: timestamp("refreshed_at", { withTimezone: true }).notNull().defaultNow(),
});

export const orders = pgTable(
  "orders",
  {
    orderNumber: text("order_number").primaryKey(),
    email: text("email").notNull(),
    customerName: text("customer_name").notNull(),
    status: text("status").notNull(),
    placedAt: timestamp("placed_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    currency: text("currency").notNull(),
    totalCents: integer("total_cents").notNull(),
    items: jsonb("items").notNull(),
    shippingCountry: text("shipping_country").notNull(),
    carrier: text("carrier"),
    trackingNumber: text("tracking_number"),
    trackingUrl: text("tracking_url"),
    estimatedDelivery: text("estimated_delivery"),
  },
  (t) => [index("orders_email_idx").on(sql`lower(${t.email})`)],
);

export const tickets = pgTable("tickets", {
  id: uuid("id").primaryKey().defaultRandom(),
  reference: text("reference").notNull().unique(),
  /** The tool call that opened it: queue redeliveries hit this unique key and open nothing new. */
  callId: text("call_id").notNull().unique(),
  threadId: uuid("thread_id"),
  email: text("email"),
  subject: text("subject").notNull(),
  body: text("body").notNull(),
  priority: text("priority").notNull(),
  status: text("status").notNull().default("open"),
  createdAt: createdAt(),
});

export const handoffs = pgTable(
  "handoffs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    callId: text("call_id").notNull().unique(),
    threadId: uuid("thread_id").notNull(),
    reason: text("reason").notNull(),
    excerpt: text("excerpt").notNull(),
    status: text("status").notNull().default("waiting"),
    /** The model's summary for staff, when a model is configured (labelled as such in the console). */
    modelSummary: jsonb("model_summary"),
    createdAt: createdAt(),
  },
  (t) => [index("handoffs_thread_idx").on(t.threadId)],
);

export const toolCalls = pgTable(
  "tool_calls",
  {
    id: text("id").primaryKey(),
    threadId: uuid("thread_id").notNull(),
    turnId: text("turn_id").notNull(),
    tool: text("tool").notNull(),
    dispatch: text("dispatch").notNull(),
    /** Arguments with PII masked: the record is for debugging and metrics, not a second customer database. */
    args: jsonb("args"),
    result: jsonb("result"),
    status: text("status").notNull(),
    errorCode: text("error_code"),
    attempts: integer("attempts").notNull().default(1),
    latencyMs: integer("latency_ms"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Thread and turn: the ops metrics look up each turn's tools.
    index("tool_calls_thread_idx").on(t.threadId, t.turnId),
    index("tool_calls_tool_idx").on(t.tool, t.createdAt),
    index("tool_calls_created_idx").on(t.createdAt),
  ],
);

export const feedback = pgTable(
  "feedback",
  {
    messageId: uuid("message_id").primaryKey(),
    threadId: uuid("thread_id").notNull(),
    rating: text("rating").notNull(),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    comment: text("comment"),
    createdAt: createdAt(),
  },
  (t) => [index("feedback_created_idx").on(t.createdAt)],
);

export const turnMetrics = pgTable(
  "turn_metrics",
  {
    turnId: text("turn_id").primaryKey(),
    threadId: uuid("thread_id").notNull(),
    channel: text("channel").notNull(),
    brain: text("brain").notNull(),
    model: text("model"),
    outcome: text("outcome").notNull(),
    toolCalls: integer("tool_calls").notNull().default(0),
    totalMs: integer("total_ms").notNull(),
    planMs: integer("plan_ms").notNull().default(0),
    toolsMs: integer("tools_ms").notNull().default(0),
    draftMs: integer("draft_ms").notNull().default(0),
    guardrailMs: integer("guardrail_ms").notNull().default(0),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    costUsd: doublePrecision("cost_usd").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("turn_metrics_created_idx").on(t.createdAt)],
);

/**
 * One run of the golden evals against the live configuration (queues/eval-job.ts, nightly and on demand):
 * its scores as fractions, the per-set report, and the metrics that fell more than 2 points below the previous
 * finished run. queued -> running -> succeeded | failed (error_code says why, never with text from a case).
 */
export const evalRuns = pgTable(
  "eval_runs",
  {
    id: uuid("id").primaryKey(),
    /** cron or admin. */
    trigger: text("trigger").notNull(),
    status: text("status").notNull().default("queued"),
    /** The brain that routed ("offline-router" or "llm:<model>") and the search mode, once known. */
    brain: text("brain"),
    searchMode: text("search_mode"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    scores: jsonb("scores"),
    report: jsonb("report"),
    regressions: jsonb("regressions"),
    errorCode: text("error_code"),
    /** The run's model calls and what they cost, counted in the day's budget (site meter and Budgets page). */
    modelCalls: integer("model_calls").notNull().default(0),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    costUsd: doublePrecision("cost_usd").notNull().default(0),
  },
  (t) => [index("eval_runs_started_idx").on(t.startedAt)],
);

/** People who answer conversations in the console and Slack. Roles: agent (conversations), admin (also ops). */
export const staff = pgTable(
  "staff",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    /** What visitors see ("Maya"); the email never leaves the console. */
    name: text("name").notNull(),
    role: text("role").notNull().default("agent"),
    /** `pbkdf2-sha256$<iterations>$<salt>$<hash>`; null: signs in only through Cloudflare Access. */
    passwordHash: text("password_hash"),
    slackUserId: text("slack_user_id").unique(),
    createdAt: createdAt(),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("staff_email_idx").on(sql`lower(${t.email})`)],
);

/** Staff API tokens (`Authorization: Bearer`), stored as SHA-256 hashes; revoked ones stay for the record. */
export const staffTokens = pgTable("staff_tokens", {
  id: uuid("id").primaryKey().defaultRandom(),
  staffId: uuid("staff_id")
    .notNull()
    .references(() => staff.id, { onDelete: "cascade" }),
  tokenHash: text("token_hash").notNull().unique(),
  createdAt: createdAt(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});

/** Console sign-in sessions; the cookie holds the random id, the table only its hash. */
export const staffSessions = pgTable(
  "staff_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    staffId: uuid("staff_id")
      .notNull()
      .references(() => staff.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("staff_sessions_staff_idx").on(t.staffId)],
);

/** Failed console sign-ins, counted per email and per client address to slow down password guessing. */
export const staffSignInFailures = pgTable(
  "staff_sign_in_failures",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    emailKey: text("email_key").notNull(),
    clientKey: text("client_key").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("staff_sign_in_failures_email_idx").on(t.emailKey, t.at),
    index("staff_sign_in_failures_client_idx").on(t.clientKey, t.at),
  ],
);

/** The Slack thread a handed-off conversation is mirrored in (channel + parent message ts). */
export const slackThreads = pgTable(
  "slack_threads",
  {
    threadId: uuid("thread_id").primaryKey(),
    channel: text("channel").notNull(),
    ts: text("ts").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("slack_threads_ts_idx").on(t.channel, t.ts)],
);

/**
 * An email conversation: the visitor's address, the thread's reply token (the support+t_<token>@ address, the
 * fallback when a mail client drops In-Reply-To), the thread's bearer token (so the email handler can post into
 * it like the widget does), the subject, and whether DMARC vouched for the address when the thread opened.
 */
export const emailThreads = pgTable("email_threads", {
  threadId: uuid("thread_id").primaryKey(),
  address: text("address").notNull(),
  /** The first email's subject, for the Re: of replies sent later. */
  subject: text("subject").notNull(),
  replyToken: text("reply_token").notNull().unique(),
  threadToken: text("thread_token").notNull(),
  verified: boolean("verified").notNull(),
  createdAt: createdAt(),
});

/** Message-IDs received and sent on email threads: a reply's In-Reply-To/References find its thread here. */
export const emailMessages = pgTable(
  "email_messages",
  {
    messageId: text("message_id").primaryKey(),
    threadId: uuid("thread_id").notNull(),
    direction: text("direction", { enum: ["in", "out"] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("email_messages_thread_idx").on(t.threadId)],
);

/** Slack event ids already taken in: Slack redelivers an event it thinks was not acknowledged. */
export const slackEvents = pgTable("slack_events", {
  eventId: text("event_id").primaryKey(),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
});

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

/**
 * Records Postgres refused for their data (a NUL byte, a broken reference) after a few tries, kept whole so
 * nothing is lost and ops can repair and replay them. The payload is the record's JSON as bytes: text and
 * jsonb columns refuse exactly what put it here.
 */
export const deadLetters = pgTable(
  "dead_letters",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Where it came from, e.g. "thread_record". */
    source: text("source").notNull(),
    /** Unique per source: a replayed dead letter is stored once. */
    sourceId: text("source_id").notNull(),
    threadId: uuid("thread_id"),
    errorCode: text("error_code").notNull(),
    sqlstate: text("sqlstate"),
    attempts: integer("attempts").notNull(),
    payload: bytea("payload").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("dead_letters_source_idx").on(t.source, t.sourceId)],
);

/**
 * Endpoints that receive signed webhooks (Standard Webhooks). The secret signs every delivery, so it is kept
 * as given out (`whsec_…`, shown once by the admin API); it never leaves the Worker again.
 */
export const webhookEndpoints = pgTable("webhook_endpoints", {
  id: text("id").primaryKey(),
  url: text("url").notNull(),
  events: text("events").array().notNull(),
  secret: text("secret").notNull(),
  /** Opted in to message content (ticket subject and body, handoff reason, feedback comment) in its events. */
  includeContent: boolean("include_content").notNull().default(false),
  createdAt: createdAt(),
});

/**
 * One row per message to one endpoint; its id is the `webhook-id` header, the same on every attempt, so a
 * receiver can drop repeats and a redelivered queue message is not posted again once delivered.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    endpointId: text("endpoint_id").notNull(),
    eventType: text("event_type").notNull(),
    /** pending, delivered, dead_lettered or dropped (the endpoint was deleted). */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatus: integer("last_status"),
    createdAt: createdAt(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt)],
);

/**
 * Rollout switches set by admins: one tool or channel on or off, overriding the environment's default
 * (core/rollout.ts). Without a row the default applies.
 */
export const rolloutSwitches = pgTable(
  "rollout_switches",
  {
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    enabled: boolean("enabled").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /** "admin token" or the staff member's name, as the audit shows it. */
    updatedBy: text("updated_by").notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.name] })],
);

/** Every change of a rollout switch: who, when, from what to what. Kept; nothing deletes it. */
export const rolloutSwitchChanges = pgTable(
  "rollout_switch_changes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    /** The value in effect before (the default when no switch was set). */
    fromEnabled: boolean("from_enabled").notNull(),
    toEnabled: boolean("to_enabled").notNull(),
    /** admin_token or staff. */
    actorKind: text("actor_kind").notNull(),
    actorId: uuid("actor_id"),
    actorName: text("actor_name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("rollout_switch_changes_created_idx").on(t.createdAt)],
);

const hour = () => timestamp("hour", { withTimezone: true }).notNull();

/**
 * The UTC hours whose rollup rows (metrics_hourly, latency_hourly, tool_calls_hourly) are current: written by the
 * hourly cron (db/rollup.ts) for complete hours, and deleted by the triggers of migration 0011 as soon as a row
 * of that hour changes (a late record, a settled tool call, a visitor coming back to an old conversation,
 * retention), so that hour is computed live again until the next rollup. Readers trust only hours listed here.
 */
export const rollupHours = pgTable("rollup_hours", {
  hour: hour().primaryKey(),
  rolledAt: timestamp("rolled_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The Overview's additive figures per UTC hour (db/metrics-hourly.ts computes them, from raw rows, for the
 * rollup and for live hours alike). Conversations are counted in the hour they started; `resolvableAnswers`
 * holds when each conversation that looks resolved got its last answer (sorted), so the pending split (an
 * answer under 24 hours old when the figures are read) stays exact whenever they are read.
 */
export const metricsHourly = pgTable("metrics_hourly", {
  hour: hour().primaryKey(),
  conversations: integer("conversations").notNull(),
  handoffs: integer("handoffs").notNull(),
  resolvableAnswers: timestamp("resolvable_answers", { withTimezone: true }).array().notNull(),
  turns: integer("turns").notNull(),
  degraded: integer("degraded").notNull(),
  failed: integer("failed").notNull(),
  promptTokens: bigint("prompt_tokens", { mode: "number" }).notNull(),
  completionTokens: bigint("completion_tokens", { mode: "number" }).notNull(),
  /** numeric, so hourly sums add up to the same total in any order. */
  costUsd: numeric("cost_usd").notNull(),
  thumbsUp: integer("thumbs_up").notNull(),
  thumbsDown: integer("thumbs_down").notNull(),
});

/** Turns per hour, kind of turn and exact total_ms: reply-time percentiles stay exact over rolled-up hours. */
export const latencyHourly = pgTable(
  "latency_hourly",
  {
    hour: hour(),
    kind: text("kind").notNull(),
    totalMs: integer("total_ms").notNull(),
    turns: integer("turns").notNull(),
  },
  (t) => [primaryKey({ columns: [t.hour, t.kind, t.totalMs] })],
);

/** Tool calls per hour, tool, channel, status and exact latency_ms (null while queued), for GET /api/admin/tools. */
export const toolCallsHourly = pgTable(
  "tool_calls_hourly",
  {
    hour: hour(),
    tool: text("tool").notNull(),
    channel: text("channel").notNull(),
    status: text("status").notNull(),
    latencyMs: integer("latency_ms"),
    calls: integer("calls").notNull(),
  },
  (t) => [index("tool_calls_hourly_hour_idx").on(t.hour)],
);

/**
 * The hours each admin window's histograms were last summed over by the rollup: `hours` is the window's
 * length (24, 168, 720) and [spanFrom, spanTo) its complete hours as of that run. Percentiles over a month of
 * exact values would otherwise read every rolled-up row; with these, a read adds or takes away only the
 * hours that differ from the span (db/metrics-hourly.ts `rolledHistogram`).
 */
export const rollupWindows = pgTable("rollup_windows", {
  hours: integer("hours").primaryKey(),
  spanFrom: timestamp("span_from", { withTimezone: true }).notNull(),
  spanTo: timestamp("span_to", { withTimezone: true }).notNull(),
  builtAt: timestamp("built_at", { withTimezone: true }).notNull().defaultNow(),
});

/** latency_hourly summed over each window's span (rollup_windows). */
export const latencyWindows = pgTable(
  "latency_windows",
  {
    hours: integer("hours").notNull(),
    kind: text("kind").notNull(),
    totalMs: integer("total_ms").notNull(),
    turns: integer("turns").notNull(),
  },
  (t) => [primaryKey({ columns: [t.hours, t.kind, t.totalMs] })],
);

/** tool_calls_hourly summed over each window's span (rollup_windows). */
export const toolCallsWindows = pgTable(
  "tool_calls_windows",
  {
    hours: integer("hours").notNull(),
    tool: text("tool").notNull(),
    channel: text("channel").notNull(),
    status: text("status").notNull(),
    latencyMs: integer("latency_ms"),
    calls: integer("calls").notNull(),
  },
  (t) => [index("tool_calls_windows_hours_idx").on(t.hours)],
);
