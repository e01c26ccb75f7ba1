import { APP_IDS, PUBSUB_NAME, TASK_EVENTS_TOPIC } from '@todo/contracts';
import { outbox, processedEvents, tasks } from '@todo/db';
import type { TestDatabase } from '@todo/db/testing';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';

/** The outbox row of a task's latest event of one type (the event id the whole pipeline keeps). */
export async function outboxEventFor(database: TestDatabase, taskId: string, type: string) {
  const rows = await database.db.select().from(outbox).where(eq(outbox.type, type));
  const mine = rows.filter((row) => (row.payload as { task_id?: string }).task_id === taskId);
  return mine.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).at(-1);
}

export async function timesProcessed(database: TestDatabase, eventId: string): Promise<number> {
  const rows = await database.db
    .select()
    .from(processedEvents)
    .where(
      and(
        eq(processedEvents.consumer, APP_IDS.recurrenceEngine),
        eq(processedEvents.eventId, eventId),
      ),
    );
  return rows.length;
}

/** Children per parent, for the given parents. */
export async function childCounts(
  database: TestDatabase,
  parentIds: string[],
): Promise<Map<string, number>> {
  const rows = await database.db
    .select({ parent: tasks.parentTaskId })
    .from(tasks)
    .where(inArray(tasks.parentTaskId, parentIds));
  const counts = new Map(parentIds.map((id) => [id, 0]));
  for (const row of rows) counts.set(row.parent!, (counts.get(row.parent!) ?? 0) + 1);
  return counts;
}

/** Completion committed → child committed, from database timestamps, in ms. */
export async function recurrenceLatencies(
  database: TestDatabase,
  parentIds: string[],
): Promise<number[]> {
  const parents = await database.db.select().from(tasks).where(inArray(tasks.id, parentIds));
  const children = await database.db
    .select()
    .from(tasks)
    .where(and(inArray(tasks.parentTaskId, parentIds), isNotNull(tasks.parentTaskId)));
  const completedAt = new Map(parents.map((p) => [p.id, p.completedAt!.getTime()]));
  return children.map((child) => child.createdAt.getTime() - completedAt.get(child.parentTaskId!)!);
}

export function summarize(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return `${label}: n=${sorted.length} p50=${at(0.5)}ms p95=${at(0.95)}ms p99=${at(0.99)}ms max=${sorted.at(-1)}ms`;
}

/** Publishes a raw event through a sidecar's HTTP API, as any Dapr app could. */
export async function publishThroughSidecar(
  sidecarHttpPort: number,
  event: { id: string; type: string; data: unknown; partitionKey: string },
): Promise<number> {
  const params = new URLSearchParams({
    'metadata.cloudevent.id': event.id,
    'metadata.cloudevent.type': event.type,
    'metadata.partitionKey': event.partitionKey,
  });
  const res = await fetch(
    `http://127.0.0.1:${sidecarHttpPort}/v1.0/publish/${PUBSUB_NAME}/${TASK_EVENTS_TOPIC}?${params}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event.data),
    },
  );
  return res.status;
}
