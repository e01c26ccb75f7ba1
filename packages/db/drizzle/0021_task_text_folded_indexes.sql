-- migrate:no-transaction
-- The text search's trigram indexes, moved onto the folded copies it now searches (0019-0020).
-- Built concurrently, so writes to tasks go on during the builds, each statement safe to run
-- again (README, "An index on a big table"). The old indexes go last: a task-api replica still
-- running the previous release searches with ILIKE, which is then answered without them (slower,
-- never wrong) until it is replaced.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "tasks_user_title_folded_trgm_idx" ON "tasks" USING gin ("user_id","title_folded" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "tasks_user_description_folded_trgm_idx" ON "tasks" USING gin ("user_id","description_folded" gin_trgm_ops);--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "tasks_user_title_trgm_idx";--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "tasks_user_description_trgm_idx";--> statement-breakpoint
-- 0020 is done, so no row lacks its copies: 0013's function again, without 0019's comparison.
CREATE OR REPLACE FUNCTION "tasks_bump_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  RETURN NEW;
END $$;
