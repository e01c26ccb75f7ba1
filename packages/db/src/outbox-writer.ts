import { randomUUID } from 'node:crypto';
import type { TaskEvent } from '@todo/contracts';
import type { Executor } from './client.js';
import { outbox, type TaskRow } from './schema.js';
import { appendTaskChanges, taskChangePayloadOf } from './task-changes.js';
import { seriesIdOf } from './task-snapshot.js';

export interface OutboxEntry {
  event: TaskEvent;
  /** The app id whose relay publishes it. */
  producer: string;
  /** Kafka partition key: the series id, so one series is consumed in order. */
  aggregateId: string;
  traceparent?: string | undefined;
}

/**
 * Appends events to the outbox. Call it inside the transaction that makes the change, so the
 * change and its events commit or roll back together.
 */
export async function appendToOutbox(
  executor: Executor,
  entries: OutboxEntry[],
): Promise<string[]> {
  if (entries.length === 0) return [];
  const rows = entries.map((entry) => ({
    eventId: randomUUID(),
    producer: entry.producer,
    aggregateId: entry.aggregateId,
    type: entry.event.type,
    payload: entry.event.data,
    traceparent: entry.traceparent ?? null,
  }));
  await executor.insert(outbox).values(rows);
  return rows.map((row) => row.eventId);
}

/** Who records an event: the app whose relay publishes it, and the trace it continues. */
export interface EventOrigin {
  producer: string;
  traceparent?: string | undefined;
}

/**
 * Appends the events of a change to task `row`, keyed by its series (so a series is consumed in
 * order), and the same events to its owner's change log (task_changes, for the live stream) under
 * the same event ids. Call it inside the transaction that makes the change, as its last statement
 * (the change log's per-user lock must be the last lock the transaction takes; task-changes.ts).
 */
export async function recordTaskEvents(
  executor: Executor,
  origin: EventOrigin,
  row: TaskRow,
  events: TaskEvent[],
): Promise<string[]> {
  const eventIds = await appendToOutbox(
    executor,
    events.map((event) => ({
      event,
      producer: origin.producer,
      aggregateId: seriesIdOf(row),
      traceparent: origin.traceparent,
    })),
  );
  await appendTaskChanges(
    executor,
    row.userId,
    events.map((event, i) => ({
      eventId: eventIds[i]!,
      type: event.type,
      payload: taskChangePayloadOf(row, event),
    })),
  );
  return eventIds;
}

/** The channel the outbox trigger (migration 0003) notifies after each insert. */
export const OUTBOX_NOTIFY_CHANNEL = 'outbox_inserted';
