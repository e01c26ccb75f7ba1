DROP INDEX "outbox_unpublished_idx";--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "producer" text;--> statement-breakpoint
-- Rows written before producers were recorded: the engine wrote children's created events and
-- series_ended events; task-api wrote everything else.
UPDATE "outbox" SET "producer" = CASE
  WHEN "type" = 'com.todo.task.series_ended.v1' THEN 'recurrence-engine'
  WHEN "type" = 'com.todo.task.created.v1' AND "payload"->'task'->>'parent_task_id' IS NOT NULL THEN 'recurrence-engine'
  ELSE 'task-api' END;--> statement-breakpoint
ALTER TABLE "outbox" ALTER COLUMN "producer" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "outbox" USING btree ("producer","created_at") WHERE "outbox"."published_at" IS NULL;--> statement-breakpoint
-- Wakes the relays right after a commit that added outbox rows (a hint: they also poll).
CREATE FUNCTION "outbox_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_inserted', '');
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "outbox_notify" AFTER INSERT ON "outbox" FOR EACH STATEMENT EXECUTE FUNCTION "outbox_notify"();
