-- migrate:no-transaction
-- The tags of the tasks written before migration 0016's triggers, copied while writes to tasks go
-- on. Every step is safe to run again.
-- 1. The copy, 5,000 tasks per transaction in id order, each batch's rows in key order, so a
--    writer changing a task's tags waits for one short batch at most. 0016's triggers insert in
--    no order (0018 orders them), so a batch and a writer can deadlock: the batch is then retried
--    rather than the whole copy failing.
DO $$
DECLARE
  after_id uuid := '00000000-0000-0000-0000-000000000000';
  last_id uuid;
  done boolean;
BEGIN
  LOOP
    SELECT "id" INTO last_id FROM (
      SELECT "id" FROM "tasks" WHERE "id" > after_id ORDER BY "id" LIMIT 5000) AS "batch"
    ORDER BY "id" DESC LIMIT 1;
    EXIT WHEN last_id IS NULL;
    done := false;
    WHILE NOT done LOOP
      BEGIN
        INSERT INTO "public"."task_tags" ("user_id", "tag", "task_id")
          SELECT DISTINCT t."user_id", tag, t."id"
          FROM "tasks" t, unnest(t."tags") AS tag
          WHERE t."id" > after_id AND t."id" <= last_id AND tag IS NOT NULL
          ORDER BY 1, 2, 3
        ON CONFLICT DO NOTHING;
        done := true;
      EXCEPTION WHEN deadlock_detected THEN
        PERFORM pg_sleep(0.05);
      END;
    END LOOP;
    COMMIT;
    after_id := last_id;
  END LOOP;
END $$;--> statement-breakpoint
-- 2. A batch read its tasks in a snapshot, so a change to a task committed after that snapshot
--    but before the batch committed may have removed a tag the batch then added (the writer's
--    trigger could not see the batch's uncommitted row to delete it). Wait until every
--    transaction running now (in any database: a snapshot lists them all) has ended, so the next
--    step sees all such changes. Nothing is locked: writers go on meanwhile.
DO $$
DECLARE
  running xid8[] := ARRAY(SELECT pg_snapshot_xip(pg_current_snapshot()));
BEGIN
  WHILE EXISTS (SELECT FROM unnest(running) AS x WHERE pg_xact_status(x) = 'in progress') LOOP
    PERFORM pg_sleep(0.1);
  END LOOP;
END $$;--> statement-breakpoint
-- 3. Remove the rows whose task no longer holds their tag. Each candidate's task is locked first
--    (FOR SHARE waits for a writer in flight), and the row is checked again in a later snapshot:
--    a writer that gave the task that tag back meanwhile kept the row (ON CONFLICT DO NOTHING),
--    and a delete by the first snapshot would have removed a row that is right again.
DO $$
DECLARE
  stale record;
BEGIN
  FOR stale IN
    SELECT tt."user_id", tt."tag", tt."task_id" FROM "public"."task_tags" tt
    WHERE NOT EXISTS (
      SELECT FROM "tasks" t
      WHERE t."id" = tt."task_id" AND t."user_id" = tt."user_id" AND tt."tag" = ANY (t."tags"))
  LOOP
    PERFORM FROM "tasks" WHERE "id" = stale."task_id" FOR SHARE;
    DELETE FROM "public"."task_tags" tt
    WHERE tt."user_id" = stale."user_id" AND tt."tag" = stale."tag" AND tt."task_id" = stale."task_id"
      AND NOT EXISTS (
        SELECT FROM "tasks" t
        WHERE t."id" = tt."task_id" AND t."user_id" = tt."user_id" AND tt."tag" = ANY (t."tags"));
  END LOOP;
END $$;
