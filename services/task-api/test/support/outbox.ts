import type { TestDatabase } from '@todo/db/testing';

export interface OutboxRecord {
  event_id: string;
  aggregate_id: string;
  type: string;
  payload: Record<string, unknown>;
  traceparent: string | null;
  published_at: Date | null;
}

/** Outbox rows in insertion order, optionally only those about one task. */
export async function outboxRows(database: TestDatabase, taskId?: string): Promise<OutboxRecord[]> {
  const rows = await database.client<OutboxRecord[]>`
    SELECT event_id, aggregate_id, type, payload, traceparent, published_at
    FROM outbox ORDER BY created_at, event_id`;
  if (!taskId) return rows;
  return rows.filter((row) => {
    const payload = row.payload as { task_id?: string; task?: { id: string } };
    return payload.task_id === taskId || payload.task?.id === taskId;
  });
}
