-- The list's capped count of one user's tasks under a tag (no cap when `cap` is null), read from
-- task_tags' primary key alone. Planned with bitmap and sequential scans off, which a function's
-- SET scopes to its own statement: rows the triggers add arrive in no order of the key, so until
-- a VACUUM marks their pages all-visible an index scan looks costly to the planner, and it chose
-- to fetch all of the tag's rows by a bitmap and sort them (20,000 for a 1,001-row count). (It
-- was added to 0016 for an hour before any release; a migration applied is never edited, so it
-- lives here.)
CREATE OR REPLACE FUNCTION "count_tagged_tasks"("owner" uuid, "wanted_tag" text, "cap" bigint) RETURNS bigint
  LANGUAGE sql STABLE PARALLEL SAFE
  SET enable_bitmapscan = off SET enable_seqscan = off
  RETURN (SELECT count(*) FROM (
    SELECT 1 FROM "public"."task_tags" WHERE "user_id" = "owner" AND "tag" = "wanted_tag" LIMIT "cap") AS "matching");--> statement-breakpoint
-- 0016's triggers, mended: a NULL element of tags is not a tag (an insert holding one failed on
-- task_tags' NOT NULL, and `tag = ANY` with a NULL kept removed tags); a changed id moves the
-- task's rows; TRUNCATE empties the table too; the table is named with its schema, so a caller's
-- search_path cannot send the rows elsewhere; rows go in key order, so two writers of one task's
-- tags (or 0017's copy) take their locks in the same order rather than deadlock.
CREATE OR REPLACE FUNCTION "task_tags_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "public"."task_tags" ("user_id", "tag", "task_id")
    SELECT DISTINCT i."user_id", t."tag", i."id"
    FROM "inserted_tasks" i, unnest(i."tags") AS t("tag") WHERE t."tag" IS NOT NULL
    ORDER BY 1, 2, 3
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "task_tags_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "public"."task_tags"
    WHERE "task_id" = OLD."id"
      AND (OLD."id" <> NEW."id" OR "user_id" <> NEW."user_id" OR NOT ("tag" = ANY (array_remove(NEW."tags", NULL))));
  INSERT INTO "public"."task_tags" ("user_id", "tag", "task_id")
    SELECT DISTINCT NEW."user_id", t."tag", NEW."id"
    FROM unnest(NEW."tags") AS t("tag") WHERE t."tag" IS NOT NULL
    ORDER BY 1, 2, 3
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
DROP TRIGGER IF EXISTS "task_tags_updated" ON "tasks";--> statement-breakpoint
CREATE TRIGGER "task_tags_updated" AFTER UPDATE OF "id", "user_id", "tags" ON "tasks" FOR EACH ROW
  WHEN (OLD."tags" IS DISTINCT FROM NEW."tags" OR OLD."user_id" IS DISTINCT FROM NEW."user_id"
        OR OLD."id" IS DISTINCT FROM NEW."id")
  EXECUTE FUNCTION "task_tags_updated"();--> statement-breakpoint
-- Deleting a user deletes all their tasks in one statement: the user's own key range then.
CREATE OR REPLACE FUNCTION "task_tags_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "public"."task_tags" tt USING "deleted_tasks" d
    WHERE tt."task_id" = d."id" AND tt."user_id" = d."user_id";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "task_tags_truncated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE "public"."task_tags";
  RETURN NULL;
END $$;--> statement-breakpoint
DROP TRIGGER IF EXISTS "task_tags_truncated" ON "tasks";--> statement-breakpoint
CREATE TRIGGER "task_tags_truncated" AFTER TRUNCATE ON "tasks" FOR EACH STATEMENT
  EXECUTE FUNCTION "task_tags_truncated"();
