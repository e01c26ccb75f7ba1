-- Stored rules keep their meaning now that packages/recurrence reads rules as RFC 5545 says:
-- 1. A MONTHLY or YEARLY rule without SKIP meant month-end clamping here (the 31st falls back to
--    the 30th, 29 February to the 28th). Under RFC 5545 it skips the months without that day, so
--    it gets RFC 7529's RSCALE=GREGORIAN;SKIP=BACKWARD, which says what it always meant.
-- 2. A date-only UNTIL=YYYYMMDD meant "through the end of that day in the series' zone". It becomes
--    the UTC date-time of that day's last second in the task's recurrence_timezone (UTC for a zone
--    PostgreSQL does not know, the nearest reading it can give).
-- Unpublished outbox events get the same rewrite: the engine computes the next occurrence from
-- the event's copy of the rule and gives that copy to the child, so an event written before this
-- migration would otherwise bring the old rule back. The function lives in pg_temp and dies with
-- the migrator's session.
CREATE FUNCTION pg_temp.todo_rfc5545_rrule(rule text, zone text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  result text := rule;
  until_date text;
  day_end timestamptz;
BEGIN
  IF rule IS NULL THEN
    RETURN NULL;
  END IF;
  zone := coalesce(zone, 'UTC');
  until_date := substring(result FROM '(?i)(?:^|[;:])UNTIL=([0-9]{8})(?:;|$)');
  IF until_date IS NOT NULL THEN
    BEGIN
      day_end := ((to_date(until_date, 'YYYYMMDD') + 1)::timestamp AT TIME ZONE zone) - interval '1 second';
    EXCEPTION WHEN invalid_parameter_value THEN
      day_end := ((to_date(until_date, 'YYYYMMDD') + 1)::timestamp AT TIME ZONE 'UTC') - interval '1 second';
    END;
    result := regexp_replace(
      result,
      '((?:^|[;:])UNTIL=)[0-9]{8}(?=;|$)',
      '\1' || to_char(day_end AT TIME ZONE 'UTC', 'YYYYMMDD"T"HH24MISS"Z"'),
      'i');
  END IF;
  IF result ~* '(^|[;:])FREQ=(MONTHLY|YEARLY)(;|$)' AND result !~* '(^|[;:])SKIP=' THEN
    -- RFC 7529 wants RSCALE beside SKIP; a rule that already names it must not name it twice.
    result := rtrim(result, '; ') || CASE
      WHEN result ~* '(^|[;:])RSCALE=' THEN ';SKIP=BACKWARD'
      ELSE ';RSCALE=GREGORIAN;SKIP=BACKWARD'
    END;
  END IF;
  RETURN result;
END $$;--> statement-breakpoint
UPDATE "tasks"
SET "recurrence_rule" = pg_temp.todo_rfc5545_rrule("recurrence_rule", "recurrence_timezone")
WHERE "recurrence_rule" IS NOT NULL
  AND "recurrence_rule" <> pg_temp.todo_rfc5545_rrule("recurrence_rule", "recurrence_timezone");--> statement-breakpoint
-- Completed events carry the rule at data.recurrence; created and updated events at data.task.recurrence.
UPDATE "outbox"
SET "payload" = jsonb_set("payload", '{recurrence,rrule}', to_jsonb(pg_temp.todo_rfc5545_rrule(
  "payload" #>> '{recurrence,rrule}', "payload" #>> '{recurrence,timezone}')))
WHERE "published_at" IS NULL
  AND jsonb_typeof("payload" #> '{recurrence,rrule}') = 'string'
  AND "payload" #>> '{recurrence,rrule}' <> pg_temp.todo_rfc5545_rrule(
    "payload" #>> '{recurrence,rrule}', "payload" #>> '{recurrence,timezone}');--> statement-breakpoint
UPDATE "outbox"
SET "payload" = jsonb_set("payload", '{task,recurrence,rrule}', to_jsonb(pg_temp.todo_rfc5545_rrule(
  "payload" #>> '{task,recurrence,rrule}', "payload" #>> '{task,recurrence,timezone}')))
WHERE "published_at" IS NULL
  AND jsonb_typeof("payload" #> '{task,recurrence,rrule}') = 'string'
  AND "payload" #>> '{task,recurrence,rrule}' <> pg_temp.todo_rfc5545_rrule(
    "payload" #>> '{task,recurrence,rrule}', "payload" #>> '{task,recurrence,timezone}');--> statement-breakpoint
DROP FUNCTION pg_temp.todo_rfc5545_rrule(text, text);
