CREATE TYPE "public"."overdue_policy" AS ENUM('skip', 'strict');--> statement-breakpoint
ALTER TABLE "tasks" DROP CONSTRAINT "tasks_recurrence_complete";--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "recurrence_overdue" "overdue_policy";--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "recurrence_dtstart" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "occurrence_index" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_occurrence_index_non_negative" CHECK ("tasks"."occurrence_index" >= 0);--> statement-breakpoint
-- Existing recurring tasks get the defaults: skip missed occurrences, series aligned to their due date.
UPDATE "tasks" SET "recurrence_overdue" = 'skip', "recurrence_dtstart" = "due_at" WHERE "recurrence_rule" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_recurrence_complete" CHECK (("tasks"."recurrence_rule" IS NULL) = ("tasks"."recurrence_timezone" IS NULL) AND ("tasks"."recurrence_rule" IS NULL) = ("tasks"."recurrence_anchor" IS NULL) AND ("tasks"."recurrence_rule" IS NULL) = ("tasks"."recurrence_overdue" IS NULL));