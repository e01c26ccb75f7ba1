-- The outbox trigger notifies with the producer of the rows a statement inserted, once per
-- producer, instead of an empty payload: each service's relay wakes only for its own rows (before,
-- every engine commit woke task-api's relay and the reverse, each time for an empty claim). A relay
-- still wakes on an empty payload, so replicas started before this migration keep working.
CREATE OR REPLACE FUNCTION "outbox_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  inserted_producer text;
BEGIN
  FOR inserted_producer IN SELECT DISTINCT "producer" FROM "inserted_rows" LOOP
    PERFORM pg_notify('outbox_inserted', inserted_producer);
  END LOOP;
  RETURN NULL;
END $$;--> statement-breakpoint
DROP TRIGGER "outbox_notify" ON "outbox";--> statement-breakpoint
CREATE TRIGGER "outbox_notify" AFTER INSERT ON "outbox" REFERENCING NEW TABLE AS "inserted_rows"
  FOR EACH STATEMENT EXECUTE FUNCTION "outbox_notify"();
