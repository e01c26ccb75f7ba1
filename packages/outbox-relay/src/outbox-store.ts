import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { outbox, type Database } from '@todo/db';
import type { OutboxMessage, PublishResult } from './outbox-message.js';

/** Delay before a failed row is tried again: 0.5 s doubling per attempt, capped. */
export function retryDelayMs(attempts: number, capMs: number): number {
  return Math.min(capMs, 500 * 2 ** Math.min(attempts, 16));
}

export interface BatchOutcome {
  claimed: number;
  published: number;
  failed: number;
  /** Age of the oldest row published in this batch, in ms. */
  oldestLagMs: number;
}

/**
 * Claims a batch of this producer's unpublished rows with FOR UPDATE SKIP LOCKED (so relay
 * replicas never take the same row), hands them to `publish`, and records each outcome in the
 * same transaction: published rows get `published_at` only after the transport confirmed them;
 * failed rows get their error and a later `next_attempt_at`. Progress is the rows' own state,
 * never "ids after the last one seen", since rows commit out of order.
 */
export async function publishBatch(
  db: Database,
  options: {
    producer: string;
    batchSize: number;
    maxRetryDelayMs: number;
  },
  publish: (messages: OutboxMessage[]) => Promise<PublishResult[]>,
): Promise<BatchOutcome> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(outbox)
      .where(
        and(
          eq(outbox.producer, options.producer),
          isNull(outbox.publishedAt),
          or(isNull(outbox.nextAttemptAt), lte(outbox.nextAttemptAt, sql`now()`)),
        ),
      )
      .orderBy(asc(outbox.createdAt), asc(outbox.eventId))
      .limit(options.batchSize)
      .for('update', { skipLocked: true });
    if (rows.length === 0) return { claimed: 0, published: 0, failed: 0, oldestLagMs: 0 };

    const results = await publish(rows);
    const ok = results.filter((r) => r.ok).map((r) => r.eventId);
    if (ok.length) {
      await tx
        .update(outbox)
        .set({
          publishedAt: sql`now()`,
          attempts: sql`${outbox.attempts} + 1`,
          lastError: null,
          nextAttemptAt: null,
        })
        .where(inArray(outbox.eventId, ok));
    }
    const attemptsById = new Map(rows.map((row) => [row.eventId, row.attempts]));
    for (const failure of results.filter(
      (r): r is Extract<PublishResult, { ok: false }> => !r.ok,
    )) {
      const delay = retryDelayMs(attemptsById.get(failure.eventId) ?? 0, options.maxRetryDelayMs);
      await tx
        .update(outbox)
        .set({
          attempts: sql`${outbox.attempts} + 1`,
          lastError: failure.error.slice(0, 1000),
          nextAttemptAt: sql`now() + ${`${delay} milliseconds`}::interval`,
        })
        .where(eq(outbox.eventId, failure.eventId));
    }
    const oldest = Math.min(...rows.map((row) => row.createdAt.getTime()));
    return {
      claimed: rows.length,
      published: ok.length,
      failed: rows.length - ok.length,
      oldestLagMs: Date.now() - oldest,
    };
  });
}
