CREATE TABLE "kb_stats" (
	"id" text PRIMARY KEY NOT NULL,
	"chunk_count" integer NOT NULL,
	"avg_tokens" double precision NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_terms" (
	"lexeme" text PRIMARY KEY NOT NULL,
	"chunk_count" integer NOT NULL
);
