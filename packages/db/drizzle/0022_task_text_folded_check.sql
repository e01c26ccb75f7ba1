-- migrate:no-transaction
-- Every task has its folded copies (0019-0020; src/schema.ts says why this is checked). Added NOT
-- VALID, which checks new writes only and holds its ACCESS EXCLUSIVE lock for an instant, then
-- validated apart: VALIDATE reads the table under a lock that lets reads and writes go on, and
-- fails the migration, loudly, if any row lacks its copies. Then the trigger learns to fold a row
-- again on request (below). Each statement is safe to run again.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_constraint WHERE conname = 'tasks_title_folded_filled'
                 AND conrelid = 'public.tasks'::regclass) THEN
    ALTER TABLE "tasks" ADD CONSTRAINT "tasks_title_folded_filled" CHECK ("tasks"."title_folded" IS NOT NULL) NOT VALID;
  END IF;
END $$;--> statement-breakpoint
ALTER TABLE "tasks" VALIDATE CONSTRAINT "tasks_title_folded_filled";
--> statement-breakpoint
-- 0019's trigger kept the copies whenever the text was unchanged, so nothing could make it fold a
-- row again (after a C library upgrade that changes case mappings, say). Now any write to the
-- copies, whatever its value, has them folded again from the text: `SET title_folded = NULL`
-- re-folds a row (README), and a forged value is still replaced.
CREATE OR REPLACE FUNCTION "tasks_fold_text"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."title_folded" IS NOT NULL AND NEW."title" = OLD."title"
     AND NEW."description" IS NOT DISTINCT FROM OLD."description"
     AND NEW."title_folded" IS NOT DISTINCT FROM OLD."title_folded"
     AND NEW."description_folded" IS NOT DISTINCT FROM OLD."description_folded" THEN
    RETURN NEW;
  END IF;
  NEW."title_folded" := lower(NEW."title");
  NEW."description_folded" := lower(NEW."description");
  RETURN NEW;
END $$;
