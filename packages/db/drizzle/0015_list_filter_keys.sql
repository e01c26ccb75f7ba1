-- migrate:no-transaction
-- The list's indexes with status, priority and due_at as trailing keys, and the capped count's
-- index (packages/db/src/schema.ts says why). Built concurrently, so writes to tasks go on during
-- the builds; each new index under a new name, then the one it replaces dropped, every statement
-- safe to run again (README, "An index on a big table").
CREATE INDEX CONCURRENTLY IF NOT EXISTS "tasks_user_created_filters_idx" ON "tasks" USING btree ("user_id","created_at","id","status","priority","due_at");--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "tasks_user_updated_filters_idx" ON "tasks" USING btree ("user_id","updated_at","id","status","priority","due_at");--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "tasks_user_due_filters_idx" ON "tasks" USING btree ("user_id","due_at","id","status","priority");--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "tasks_user_due_desc_filters_idx" ON "tasks" USING btree ("user_id","due_at" DESC NULLS LAST,"id" DESC NULLS FIRST,"status","priority");--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "tasks_user_priority_filters_idx" ON "tasks" USING btree ("user_id","priority","id","status","due_at");--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "tasks_user_title_filters_idx" ON "tasks" USING btree ("user_id","title","id","status","priority","due_at");--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "tasks_user_filters_idx" ON "tasks" USING btree ("user_id","status","priority","due_at");--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "tasks_user_created_idx";--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "tasks_user_updated_idx";--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "tasks_user_due_idx";--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "tasks_user_due_desc_idx";--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "tasks_user_priority_idx";--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "tasks_user_title_idx";--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "tasks_user_status_idx";
