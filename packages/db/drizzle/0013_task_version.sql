-- A constant default: PostgreSQL 11+ stores it in the catalog instead of rewriting the table, so
-- this is instant on a table of any size (existing rows read version 1).
ALTER TABLE "tasks" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
-- Every UPDATE of a task row takes the next version, whoever runs it (task-api, the engine, an
-- operator's SQL), and whatever version the statement itself names: a trigger cannot be forgotten
-- by a new write path. task-api's ETag/If-Match compare it. Setting NEW in a BEFORE trigger needs
-- no column privilege, so neither service role is granted UPDATE (version).
CREATE FUNCTION "tasks_bump_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "tasks_bump_version" BEFORE UPDATE ON "tasks" FOR EACH ROW EXECUTE FUNCTION "tasks_bump_version"();
