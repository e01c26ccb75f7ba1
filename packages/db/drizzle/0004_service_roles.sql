-- One group role per service, holding exactly the privileges that service needs. Deployments
-- create a LOGIN user per service and grant it the matching role (see packages/db/README.md).
-- Column privileges make "only the recurrence engine writes child tasks" hold in the database:
-- task-api can neither insert nor update parent_task_id, series_id or occurrence_index.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'todo_task_api') THEN
    CREATE ROLE todo_task_api NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'todo_recurrence_engine') THEN
    CREATE ROLE todo_recurrence_engine NOLOGIN;
  END IF;
END $$;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO todo_task_api, todo_recurrence_engine;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON users TO todo_task_api;--> statement-breakpoint
GRANT SELECT, DELETE ON tasks TO todo_task_api;--> statement-breakpoint
GRANT INSERT (id, user_id, title, description, priority, status, tags, due_at, completed_at,
  recurrence_rule, recurrence_timezone, recurrence_anchor, recurrence_overdue, recurrence_dtstart,
  created_at, updated_at) ON tasks TO todo_task_api;--> statement-breakpoint
GRANT UPDATE (title, description, priority, status, tags, due_at, completed_at, recurrence_rule,
  recurrence_timezone, recurrence_anchor, recurrence_overdue, recurrence_dtstart, updated_at)
  ON tasks TO todo_task_api;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON outbox TO todo_task_api;--> statement-breakpoint
GRANT SELECT ON users TO todo_recurrence_engine;--> statement-breakpoint
GRANT SELECT, INSERT ON tasks TO todo_recurrence_engine;--> statement-breakpoint
GRANT SELECT, INSERT ON processed_events TO todo_recurrence_engine;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON outbox TO todo_recurrence_engine;
