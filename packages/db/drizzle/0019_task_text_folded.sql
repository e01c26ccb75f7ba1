-- Case-folded copies of each task's title and description for the list's text search
-- (src/schema.ts says why). Adding a nullable column without a default is a catalog change: the
-- table is not rewritten. From this migration on, every write fills the copies; 0020 fills those
-- of the tasks written before, 0021 moves the trigram indexes onto them.
ALTER TABLE "tasks" ADD COLUMN "title_folded" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "description_folded" text;--> statement-breakpoint
-- The copies are always lower() of the row's own text, whatever the statement set, so no writer
-- can make them disagree. An UPDATE that leaves the text as it was keeps the copies it has
-- (comparing is cheaper than lowering a description on every status change).
CREATE FUNCTION "tasks_fold_text"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."title_folded" IS NOT NULL AND NEW."title" = OLD."title"
     AND NEW."description" IS NOT DISTINCT FROM OLD."description" THEN
    NEW."title_folded" := OLD."title_folded";
    NEW."description_folded" := OLD."description_folded";
  ELSE
    NEW."title_folded" := lower(NEW."title");
    NEW."description_folded" := lower(NEW."description");
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "tasks_fold_text" BEFORE INSERT OR UPDATE ON "tasks" FOR EACH ROW
  EXECUTE FUNCTION "tasks_fold_text"();--> statement-breakpoint
-- 0020's backfill writes only the copies of a task that has none yet. That is not a change to the
-- task, so its version (the ETag clients hold for If-Match) stays. The comparison runs only for a
-- row without copies, so only until 0020 is done; 0021 puts back 0013's function.
CREATE OR REPLACE FUNCTION "tasks_bump_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."title_folded" IS NULL
     AND to_jsonb(NEW) - '{title_folded,description_folded}'::text[]
       = to_jsonb(OLD) - '{title_folded,description_folded}'::text[] THEN
    RETURN NEW;
  END IF;
  NEW.version := OLD.version + 1;
  RETURN NEW;
END $$;
