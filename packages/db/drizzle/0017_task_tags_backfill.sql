-- migrate:no-transaction
-- The tags of the tasks written before migration 0016's triggers, copied outside a transaction so
-- writes to tasks go on meanwhile (minutes on ten million tasks). Every statement is safe to run
-- again. A task changed during the copy is kept by the triggers, but the copy reads an older
-- snapshot and may still add a tag such a change removed, or a deleted task's tags. So, once the
-- copy has committed: wait for every transaction then writing tasks to end (a SHARE lock waits for
-- them and is released at once; writes queue behind it only for that wait), and then remove each
-- row whose task no longer holds its tag, in a snapshot that sees all those changes.
INSERT INTO "task_tags" ("user_id", "tag", "task_id")
  SELECT DISTINCT t."user_id", tag, t."id" FROM "tasks" t, unnest(t."tags") AS tag
ON CONFLICT DO NOTHING;--> statement-breakpoint
DO $$ BEGIN LOCK TABLE "tasks" IN SHARE MODE; END $$;--> statement-breakpoint
DELETE FROM "task_tags" tt
  WHERE NOT EXISTS (
    SELECT FROM "tasks" t WHERE t."id" = tt."task_id" AND t."user_id" = tt."user_id" AND tt."tag" = ANY (t."tags"));
