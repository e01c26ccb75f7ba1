-- migrate:no-transaction
-- The folded copies (0019) of the tasks written before 0019, filled while writes to tasks go on:
-- 5,000 tasks per transaction in id order, so a writer waits for one short batch at most. Safe to
-- run again: a task that has its copies is skipped.
-- No task can be missed: 0019's ALTER TABLE waited for every transaction writing tasks, and every
-- write since has filled the copies (0019's trigger). An UPDATE racing a batch is safe too: the
-- batch's UPDATE checks `title_folded IS NULL` again on the row's newest version and lowers that
-- version's text. Each batch rewrites its rows once (new row versions, as any UPDATE), which
-- autovacuum reclaims; tasks_bump_version leaves their version as it was (0019).
-- A writer holding several tasks' locks (deleting an account locks all its tasks) can deadlock
-- with a batch, which is then retried rather than the whole backfill failing.
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
        UPDATE "tasks" SET "title_folded" = lower("title"), "description_folded" = lower("description")
        WHERE "id" > after_id AND "id" <= last_id AND "title_folded" IS NULL;
        done := true;
      EXCEPTION WHEN deadlock_detected THEN
        PERFORM pg_sleep(0.05);
      END;
    END LOOP;
    COMMIT;
    after_id := last_id;
  END LOOP;
END $$;
