import { setTimeout as delay } from 'node:timers/promises';
import type { Sql } from 'postgres';

/** Arbitrary but fixed, and the key earlier releases used: every runner contends for it. */
export const MIGRATION_LOCK_KEY = 4_711_020_611;

const RETRY_MS = 200;

/**
 * Runs `work` holding the session-level migration lock on `sql`'s single connection. Waiting
 * replicas poll `pg_try_advisory_lock` between idle pauses instead of blocking in
 * `pg_advisory_lock`: a session blocked in a statement holds a snapshot, `CREATE INDEX
 * CONCURRENTLY` in the lock holder waits for every older snapshot to end, and the two would wait
 * on each other until the deadlock detector failed one of them.
 */
export async function withMigrationLock<T>(sql: Sql, work: () => Promise<T>): Promise<T> {
  for (;;) {
    const [row] = await sql<{ locked: boolean }[]>`
      SELECT pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) AS locked`;
    if (row!.locked) break;
    await delay(RETRY_MS);
  }
  try {
    return await work();
  } finally {
    await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => undefined);
  }
}
