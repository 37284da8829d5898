CREATE TABLE "rollout_switch_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"from_enabled" boolean NOT NULL,
	"to_enabled" boolean NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollout_switches" (
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"enabled" boolean NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "rollout_switches_kind_name_pk" PRIMARY KEY("kind","name")
);
--> statement-breakpoint
CREATE INDEX "rollout_switch_changes_created_idx" ON "rollout_switch_changes" USING btree ("created_at");