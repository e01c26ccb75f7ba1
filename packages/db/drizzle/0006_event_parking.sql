CREATE TABLE "delivery_attempts" (
	"consumer" text NOT NULL,
	"event_id" text NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"last_error" text,
	"first_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delivery_attempts_consumer_event_id_pk" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "parked_events" (
	"consumer" text NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"envelope" text NOT NULL,
	"reason" text NOT NULL,
	"attempts" integer NOT NULL,
	"last_error" text NOT NULL,
	"parked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "parked_events_consumer_event_id_pk" PRIMARY KEY("consumer","event_id"),
	CONSTRAINT "parked_events_reason_known" CHECK ("parked_events"."reason" IN ('attempts_exhausted', 'invalid'))
);
--> statement-breakpoint
CREATE INDEX "parked_events_consumer_parked_at_idx" ON "parked_events" USING btree ("consumer","parked_at");--> statement-breakpoint
-- The engine counts, clears and parks its own deliveries (migration 0004 has its other grants).
GRANT SELECT, INSERT, UPDATE, DELETE ON delivery_attempts TO todo_recurrence_engine;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON parked_events TO todo_recurrence_engine;
