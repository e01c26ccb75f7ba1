-- Hand-added: btree_gin gives uuid a GIN operator class, so user_id can lead the GIN indexes below.
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
DROP INDEX "tasks_tags_gin_idx";--> statement-breakpoint
DROP INDEX "tasks_title_trgm_idx";--> statement-breakpoint
DROP INDEX "tasks_description_trgm_idx";--> statement-breakpoint
CREATE INDEX "tasks_user_tags_idx" ON "tasks" USING gin ("user_id","tags");--> statement-breakpoint
CREATE INDEX "tasks_user_title_trgm_idx" ON "tasks" USING gin ("user_id","title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "tasks_user_description_trgm_idx" ON "tasks" USING gin ("user_id","description" gin_trgm_ops);