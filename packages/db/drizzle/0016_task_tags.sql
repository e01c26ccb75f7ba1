CREATE TABLE "task_tags" (
	"user_id" uuid NOT NULL,
	"tag" text NOT NULL,
	"task_id" uuid NOT NULL,
	CONSTRAINT "task_tags_user_id_tag_task_id_pk" PRIMARY KEY("user_id","tag","task_id")
);
--> statement-breakpoint
CREATE INDEX "task_tags_task_id_idx" ON "task_tags" USING btree ("task_id");--> statement-breakpoint
-- Kept by triggers, so every writer (task-api, the engine, an operator's SQL) keeps it, in the
-- statement that writes the task: inserts and deletes in one statement-level trigger each (the
-- engine inserts children in batches; deleting a user deletes all their tasks), an UPDATE only
-- when it changes the tags. Migration 0017 copies the tags of the tasks written before this one.
CREATE FUNCTION "task_tags_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "task_tags" ("user_id", "tag", "task_id")
    SELECT DISTINCT i."user_id", t."tag", i."id" FROM "inserted_tasks" i, unnest(i."tags") AS t("tag")
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "task_tags_inserted" AFTER INSERT ON "tasks" REFERENCING NEW TABLE AS "inserted_tasks"
  FOR EACH STATEMENT EXECUTE FUNCTION "task_tags_inserted"();--> statement-breakpoint
CREATE FUNCTION "task_tags_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "task_tags"
    WHERE "task_id" = OLD."id" AND ("user_id" <> NEW."user_id" OR NOT ("tag" = ANY (NEW."tags")));
  INSERT INTO "task_tags" ("user_id", "tag", "task_id")
    SELECT DISTINCT NEW."user_id", t."tag", NEW."id" FROM unnest(NEW."tags") AS t("tag")
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "task_tags_updated" AFTER UPDATE OF "tags", "user_id" ON "tasks" FOR EACH ROW
  WHEN (OLD."tags" IS DISTINCT FROM NEW."tags" OR OLD."user_id" IS DISTINCT FROM NEW."user_id")
  EXECUTE FUNCTION "task_tags_updated"();--> statement-breakpoint
CREATE FUNCTION "task_tags_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "task_tags" tt USING "deleted_tasks" d WHERE tt."task_id" = d."id";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "task_tags_deleted" AFTER DELETE ON "tasks" REFERENCING OLD TABLE AS "deleted_tasks"
  FOR EACH STATEMENT EXECUTE FUNCTION "task_tags_deleted"();--> statement-breakpoint
-- The triggers run as the writer: task-api inserts, changes and deletes tasks, the engine inserts
-- children. task-api reads the table for the list's count.
GRANT SELECT, INSERT, DELETE ON "task_tags" TO todo_task_api;--> statement-breakpoint
GRANT INSERT ON "task_tags" TO todo_recurrence_engine;
