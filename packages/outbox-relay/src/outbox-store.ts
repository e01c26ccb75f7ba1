import { and, asc, eq, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
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

/** One of `count` lanes of a relay: it claims only the rows whose aggregate hashes to `index`. */
export interface Lane {
  index: number;
  count: number;
}

/**
 * The rows of lane `index` of `count`: every row of one aggregate falls in the same lane, so one
 * lane publishes an aggregate's rows in order, as a single relay did. `& 2147483647` makes the
 * hash non-negative (abs() overflows on -2^31).
 */
function inLane(lane: Lane | undefined): SQL | undefined {
  if (!lane || lane.count <= 1) return undefined;
  return sql`(hashtext(${outbox.aggregateId}::text) & 2147483647) % ${lane.count} = ${lane.index}`;
}

/**
 * Claims a batch of this producer's unpublished rows with FOR UPDATE SKIP LOCKED (so relay
 * replicas and lanes never take the same row), hands them to `publish`, and records each
 * outcome in the same transaction: published rows get `published_at` only after the transport
 * confirmed them; failed rows get their error and a later `next_attempt_at`. Progress is the
 * rows' own state, never "ids after the last one seen", since rows commit out of order.
 */
export async function publishBatch(
  db: Database,
  options: {
    producer: string;
    batchSize: number;
    maxRetryDelayMs: number;
    lane?: Lane;
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
          inLane(options.lane),
        ),
      )
      .orderBy(asc(outbox.createdAt), asc(outbox.eventId))
      .limit(options.batchSize)
      .for('update', { skipLocked: true });
    if (rows.length === 0) return { claimed: 0, published: 0, failed: 0, oldestLagMs: 0 };

    const results = await publish(rows);
    const ok = results.filter((r) => r.ok).map((r) => r.eventId);
    if (ok.length) {
      await tx.execute(sql`
        UPDATE ${outbox}
        SET published_at = now(), attempts = attempts + 1, last_error = NULL, next_attempt_at = NULL
        WHERE event_id = ANY(${sql.param(ok)}::uuid[])`);
    }
    const failures = results.filter((r): r is Extract<PublishResult, { ok: false }> => !r.ok);
    if (failures.length) {
      // One statement for every failed row (a whole batch fails together when the broker is down).
      const attemptsById = new Map(rows.map((row) => [row.eventId, row.attempts]));
      const delays = failures.map((f) =>
        retryDelayMs(attemptsById.get(f.eventId) ?? 0, options.maxRetryDelayMs),
      );
      await tx.execute(sql`
        UPDATE ${outbox}
        SET attempts = ${outbox}.attempts + 1,
            last_error = failed.error,
            next_attempt_at = now() + failed.delay_ms * interval '1 millisecond'
        FROM unnest(
          ${sql.param(failures.map((f) => f.eventId))}::uuid[],
          ${sql.param(failures.map((f) => f.error.slice(0, 1000)))}::text[],
          ${sql.param(delays)}::int[]
        ) AS failed(event_id, error, delay_ms)
        WHERE ${outbox}.event_id = failed.event_id`);
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
