CREATE TABLE "latency_hourly" (
	"hour" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"total_ms" integer NOT NULL,
	"turns" integer NOT NULL,
	CONSTRAINT "latency_hourly_hour_kind_total_ms_pk" PRIMARY KEY("hour","kind","total_ms")
);
--> statement-breakpoint
CREATE TABLE "latency_windows" (
	"hours" integer NOT NULL,
	"kind" text NOT NULL,
	"total_ms" integer NOT NULL,
	"turns" integer NOT NULL,
	CONSTRAINT "latency_windows_hours_kind_total_ms_pk" PRIMARY KEY("hours","kind","total_ms")
);
--> statement-breakpoint
CREATE TABLE "metrics_hourly" (
	"hour" timestamp with time zone PRIMARY KEY NOT NULL,
	"conversations" integer NOT NULL,
	"handoffs" integer NOT NULL,
	"resolvable_answers" timestamp with time zone[] NOT NULL,
	"turns" integer NOT NULL,
	"degraded" integer NOT NULL,
	"failed" integer NOT NULL,
	"prompt_tokens" bigint NOT NULL,
	"completion_tokens" bigint NOT NULL,
	"cost_usd" numeric NOT NULL,
	"thumbs_up" integer NOT NULL,
	"thumbs_down" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_hours" (
	"hour" timestamp with time zone PRIMARY KEY NOT NULL,
	"rolled_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollup_windows" (
	"hours" integer PRIMARY KEY NOT NULL,
	"span_from" timestamp with time zone NOT NULL,
	"span_to" timestamp with time zone NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tool_calls_hourly" (
	"hour" timestamp with time zone NOT NULL,
	"tool" text NOT NULL,
	"channel" text NOT NULL,
	"status" text NOT NULL,
	"latency_ms" integer,
	"calls" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tool_calls_windows" (
	"hours" integer NOT NULL,
	"tool" text NOT NULL,
	"channel" text NOT NULL,
	"status" text NOT NULL,
	"latency_ms" integer,
	"calls" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "tool_calls_hourly_hour_idx" ON "tool_calls_hourly" USING btree ("hour");--> statement-breakpoint
CREATE INDEX "tool_calls_windows_hours_idx" ON "tool_calls_windows" USING btree ("hours");--> statement-breakpoint
CREATE INDEX "messages_turn_idx" ON "messages" USING btree ("thread_id",("meta"->>'turnId'));--> statement-breakpoint
-- Rollup invalidation (db/rollup.ts): a change to any row an hourly figure is made of makes that hour live
-- again until the next rollup. The shared advisory lock pairs with the rollup's exclusive one on the same
-- hour: a write racing the rollup of its hour is either read by it or deletes its rollup_hours row after it.
CREATE FUNCTION "rollup_hour_changed"("at" timestamptz) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  h timestamptz := date_trunc('hour', "at", 'UTC');
BEGIN
  IF h IS NULL THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock_shared(7310, (extract(epoch FROM h) / 3600)::int);
  DELETE FROM "rollup_hours" WHERE "hour" = h;
END $$;
--> statement-breakpoint
-- A conversation's figures (hour it started) depend on its messages and handoffs; a turn's kind (hour of its
-- metrics) on its tool calls; a tool call's channel on its thread.
CREATE FUNCTION "rollup_row_changed"("at" timestamptz, "thread" uuid, "turn" text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM rollup_hour_changed("at");
  IF "thread" IS NOT NULL THEN
    PERFORM rollup_hour_changed(t.created_at) FROM threads t WHERE t.id = "thread";
  END IF;
  IF "turn" IS NOT NULL THEN
    PERFORM rollup_hour_changed(tm.created_at) FROM turn_metrics tm WHERE tm.turn_id = "turn";
  END IF;
END $$;
--> statement-breakpoint
CREATE FUNCTION "rollup_threads_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM rollup_row_changed(OLD.created_at, NULL, NULL);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM rollup_row_changed(NEW.created_at, NULL, NULL);
    PERFORM rollup_hour_changed(c.created_at) FROM tool_calls c WHERE c.thread_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "rollup_messages_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM rollup_row_changed(OLD.created_at, OLD.thread_id, NULL);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM rollup_row_changed(NEW.created_at, NEW.thread_id, NULL);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "rollup_handoffs_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM rollup_row_changed(NULL, OLD.thread_id, NULL);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM rollup_row_changed(NULL, NEW.thread_id, NULL);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "rollup_tool_calls_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM rollup_row_changed(OLD.created_at, NULL, OLD.turn_id);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM rollup_row_changed(NEW.created_at, NULL, NEW.turn_id);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "rollup_stamped_row_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM rollup_row_changed(OLD.created_at, NULL, NULL);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM rollup_row_changed(NEW.created_at, NULL, NULL);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "threads_rollup" AFTER INSERT OR DELETE OR UPDATE OF "created_at", "channel" ON "threads"
  FOR EACH ROW EXECUTE FUNCTION rollup_threads_changed();
--> statement-breakpoint
CREATE TRIGGER "messages_rollup" AFTER INSERT OR UPDATE OR DELETE ON "messages"
  FOR EACH ROW EXECUTE FUNCTION rollup_messages_changed();
--> statement-breakpoint
CREATE TRIGGER "handoffs_rollup" AFTER INSERT OR DELETE OR UPDATE OF "thread_id" ON "handoffs"
  FOR EACH ROW EXECUTE FUNCTION rollup_handoffs_changed();
--> statement-breakpoint
CREATE TRIGGER "tool_calls_rollup" AFTER INSERT OR UPDATE OR DELETE ON "tool_calls"
  FOR EACH ROW EXECUTE FUNCTION rollup_tool_calls_changed();
--> statement-breakpoint
CREATE TRIGGER "turn_metrics_rollup" AFTER INSERT OR UPDATE OR DELETE ON "turn_metrics"
  FOR EACH ROW EXECUTE FUNCTION rollup_stamped_row_changed();
--> statement-breakpoint
CREATE TRIGGER "feedback_rollup" AFTER INSERT OR UPDATE OR DELETE ON "feedback"
  FOR EACH ROW EXECUTE FUNCTION rollup_stamped_row_changed();
