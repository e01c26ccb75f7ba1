CREATE INDEX "outbox_published_idx" ON "outbox" USING btree ("producer","published_at") WHERE "outbox"."published_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "processed_events_consumer_processed_at_idx" ON "processed_events" USING btree ("consumer","processed_at");--> statement-breakpoint
-- Each service prunes the outbox rows it published; the engine prunes the events it processed
-- (and its delivery_attempts leftovers, which 0006 already lets it delete).
GRANT DELETE ON outbox TO todo_task_api, todo_recurrence_engine;--> statement-breakpoint
GRANT DELETE ON processed_events TO todo_recurrence_engine;
