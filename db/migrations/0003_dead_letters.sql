CREATE TABLE "dead_letters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"source_id" text NOT NULL,
	"thread_id" uuid,
	"error_code" text NOT NULL,
	"sqlstate" text,
	"attempts" integer NOT NULL,
	"payload" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "dead_letters_source_idx" ON "dead_letters" USING btree ("source","source_id");