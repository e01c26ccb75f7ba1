-- migrate:no-transaction
-- The folded copies (0019) of the tasks written before 0019, filled while writes to tasks go on:
-- 5,000 tasks per transaction in id order. Safe to run again: a task that has its copies is
-- skipped.
-- No task can be missed: 0019's ALTER TABLE waited for every transaction writing tasks, and every
-- write since has filled the copies (0019's trigger). A batch never waits for a writer, so it can
-- neither deadlock with one (deleting an account locks all its tasks, in another order) nor hold
-- its rows locked while it waits: it locks the rows it fills with SKIP LOCKED, and goes over its
-- range again after a pause, without locks, until none lacks its copies (a writer that updates a
-- row it skipped fills them itself). A writer waits for one short batch at most. Each batch writes
-- a new version of its rows (autovacuum reclaims the old ones); tasks_bump_version leaves their
-- version as it was (0019).
DO $$
DECLARE
  after_id uuid := '00000000-0000-0000-0000-000000000000';
  last_id uuid;
BEGIN
  LOOP
    SELECT "id" INTO last_id FROM (
      SELECT "id" FROM "tasks" WHERE "id" > after_id ORDER BY "id" LIMIT 5000) AS "batch"
    ORDER BY "id" DESC LIMIT 1;
    EXIT WHEN last_id IS NULL;
    LOOP
      UPDATE "tasks" SET "title_folded" = lower("title"), "description_folded" = lower("description")
      WHERE "id" IN (
        SELECT "id" FROM "tasks"
        WHERE "id" > after_id AND "id" <= last_id AND "title_folded" IS NULL
        ORDER BY "id" FOR UPDATE SKIP LOCKED);
      COMMIT;
      EXIT WHEN NOT EXISTS (
        SELECT FROM "tasks" WHERE "id" > after_id AND "id" <= last_id AND "title_folded" IS NULL);
      PERFORM pg_sleep(0.1);
    END LOOP;
    after_id := last_id;
  END LOOP;
END $$;
