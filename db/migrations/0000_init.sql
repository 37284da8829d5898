CREATE EXTENSION IF NOT EXISTS vector;
--> statement-breakpoint
CREATE TABLE "eval_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"brain" text NOT NULL,
	"dataset" text NOT NULL,
	"cases" integer NOT NULL,
	"score" real NOT NULL,
	"report" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback" (
	"message_id" uuid PRIMARY KEY NOT NULL,
	"thread_id" uuid NOT NULL,
	"rating" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "handoffs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_id" text NOT NULL,
	"thread_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"excerpt" text NOT NULL,
	"status" text DEFAULT 'waiting' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "handoffs_call_id_unique" UNIQUE("call_id")
);
--> statement-breakpoint
CREATE TABLE "kb_chunks" (
	"id" text PRIMARY KEY NOT NULL,
	"doc_id" text NOT NULL,
	"ordinal" integer NOT NULL,
	"title" text NOT NULL,
	"section_path" text DEFAULT '' NOT NULL,
	"body" text NOT NULL,
	"url" text NOT NULL,
	"allowed_channels" text[] NOT NULL,
	"reviewed" boolean DEFAULT false NOT NULL,
	"token_count" integer NOT NULL,
	"content_hash" text NOT NULL,
	"tsv" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(section_path, '')), 'B') || setweight(to_tsvector('english', body), 'C')) STORED NOT NULL,
	"embedding" vector(384)
);
--> statement-breakpoint
CREATE TABLE "kb_docs" (
	"id" text PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"title" text NOT NULL,
	"url" text NOT NULL,
	"section" text,
	"allowed_channels" text[] NOT NULL,
	"reviewed" boolean DEFAULT false NOT NULL,
	"content_hash" text NOT NULL,
	"updated_at" timestamp with time zone,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_sources" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"location" text NOT NULL,
	"embedding_model" text,
	"doc_count" integer DEFAULT 0 NOT NULL,
	"chunk_count" integer DEFAULT 0 NOT NULL,
	"last_loaded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"thread_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"role" text NOT NULL,
	"content" text NOT NULL,
	"tool_name" text,
	"tool_payload" jsonb,
	"citations" jsonb,
	"meta" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"order_number" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"customer_name" text NOT NULL,
	"status" text NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"currency" text NOT NULL,
	"total_cents" integer NOT NULL,
	"items" jsonb NOT NULL,
	"shipping_country" text NOT NULL,
	"carrier" text,
	"tracking_number" text,
	"tracking_url" text,
	"estimated_delivery" text
);
--> statement-breakpoint
CREATE TABLE "threads" (
	"id" uuid PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"identity_sub" text,
	"identity_email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"call_id" text NOT NULL,
	"thread_id" uuid,
	"email" text,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"priority" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tickets_reference_unique" UNIQUE("reference"),
	CONSTRAINT "tickets_call_id_unique" UNIQUE("call_id")
);
--> statement-breakpoint
CREATE TABLE "tool_calls" (
	"id" text PRIMARY KEY NOT NULL,
	"thread_id" uuid NOT NULL,
	"turn_id" text NOT NULL,
	"tool" text NOT NULL,
	"dispatch" text NOT NULL,
	"args" jsonb,
	"result" jsonb,
	"status" text NOT NULL,
	"error_code" text,
	"attempts" integer DEFAULT 1 NOT NULL,
	"latency_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "turn_metrics" (
	"turn_id" text PRIMARY KEY NOT NULL,
	"thread_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"brain" text NOT NULL,
	"model" text,
	"outcome" text NOT NULL,
	"tool_calls" integer DEFAULT 0 NOT NULL,
	"total_ms" integer NOT NULL,
	"plan_ms" integer DEFAULT 0 NOT NULL,
	"tools_ms" integer DEFAULT 0 NOT NULL,
	"draft_ms" integer DEFAULT 0 NOT NULL,
	"guardrail_ms" integer DEFAULT 0 NOT NULL,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kb_chunks" ADD CONSTRAINT "kb_chunks_doc_id_kb_docs_id_fk" FOREIGN KEY ("doc_id") REFERENCES "public"."kb_docs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_thread_id_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."threads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kb_chunks_tsv_idx" ON "kb_chunks" USING gin ("tsv");--> statement-breakpoint
CREATE INDEX "kb_chunks_embedding_idx" ON "kb_chunks" USING hnsw ("embedding" vector_cosine_ops);--> statement-breakpoint
CREATE INDEX "kb_chunks_doc_idx" ON "kb_chunks" USING btree ("doc_id");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_thread_seq_idx" ON "messages" USING btree ("thread_id","seq");--> statement-breakpoint
CREATE INDEX "orders_email_idx" ON "orders" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "threads_identity_idx" ON "threads" USING btree ("identity_sub","updated_at");--> statement-breakpoint
CREATE INDEX "tool_calls_thread_idx" ON "tool_calls" USING btree ("thread_id");--> statement-breakpoint
CREATE INDEX "tool_calls_tool_idx" ON "tool_calls" USING btree ("tool","created_at");--> statement-breakpoint
CREATE INDEX "turn_metrics_created_idx" ON "turn_metrics" USING btree ("created_at");