CREATE TABLE "auth_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_refreshed_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text
);
--> statement-breakpoint
CREATE TABLE "refresh_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"session_id" uuid NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "task_changes" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "task_changes_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_session_id_auth_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."auth_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "auth_sessions_user_id_idx" ON "auth_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "refresh_tokens_session_id_idx" ON "refresh_tokens" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "task_changes_user_id_seq_idx" ON "task_changes" USING btree ("user_id","seq");--> statement-breakpoint
CREATE INDEX "task_changes_created_at_idx" ON "task_changes" USING btree ("created_at");--> statement-breakpoint
-- One notification per user per transaction (Postgres folds identical payloads in a transaction):
-- every task-api replica listens and reads the user's rows after the last seq it sent.
CREATE FUNCTION "task_changes_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('task_changes', NEW.user_id::text);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "task_changes_notify" AFTER INSERT ON "task_changes" FOR EACH ROW EXECUTE FUNCTION "task_changes_notify"();--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON auth_sessions, refresh_tokens TO todo_task_api;--> statement-breakpoint
-- Deleting an account (its tasks and sessions go by cascade).
GRANT DELETE ON users TO todo_task_api;--> statement-breakpoint
-- task-api writes changes, streams them and prunes them; the engine writes its children's.
GRANT SELECT, INSERT, DELETE ON task_changes TO todo_task_api;--> statement-breakpoint
GRANT INSERT ON task_changes TO todo_recurrence_engine;
