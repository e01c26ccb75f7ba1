-- task-api's rate-limit counters, as its README (Rate limits) requests. UNLOGGED: counters need
-- no crash safety, and a write per API request skips the WAL.
CREATE UNLOGGED TABLE "rate_limit_hits" (
	"key" text PRIMARY KEY NOT NULL,
	"hits" integer NOT NULL,
	"reset_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "rate_limit_hits_reset_at_idx" ON "rate_limit_hits" USING btree ("reset_at");--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON rate_limit_hits TO todo_task_api;
