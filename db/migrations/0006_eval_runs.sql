-- Nothing ever wrote the first eval_runs; the runs of worker/eval-job.ts need other columns.
DROP TABLE "eval_runs" CASCADE;
--> statement-breakpoint
CREATE TABLE "eval_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"trigger" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"brain" text,
	"search_mode" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"scores" jsonb,
	"report" jsonb,
	"regressions" jsonb,
	"error_code" text
);
--> statement-breakpoint
CREATE INDEX "eval_runs_started_idx" ON "eval_runs" USING btree ("started_at");