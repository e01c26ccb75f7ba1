import { sql } from 'drizzle-orm';
import type { Database, Executor } from './client.js';

/**
 * First key of the two-key advisory locks that let one replica at a time prune a table (the
 * second is a hash of the job's name). Beside the change log's namespace (task-changes.ts, and
 * its pruner's at + 1); two-key locks never collide with the migrator's one-key lock.
 */
export const PRUNING_LOCK_NAMESPACE = 0x7a5e;

/** A 32-bit FNV-1a hash of `name` as a signed int4: the second key of a job's lock. */
export function pruningLockKey(name: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(name)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/**
 * Runs one batch of a prune in its own transaction, under a transaction-scoped try-lock named
 * for the job: another replica holding it means that one is pruning, and this one skips the round
 * instead of queueing behind it (null). A batch is one short transaction, so a prune never holds
 * locks or a snapshot for long while the hot paths write the same table.
 */
export async function pruneBatchUnderLock(
  db: Database,
  job: string,
  deleteBatch: (tx: Executor) => Promise<number>,
): Promise<number | null> {
  return db.transaction(async (tx) => {
    const [lock] = await tx.execute<{ locked: boolean }>(
      sql`SELECT pg_try_advisory_xact_lock(${PRUNING_LOCK_NAMESPACE}::int, ${pruningLockKey(job)}::int) AS locked`,
    );
    if (!lock?.locked) return null;
    return deleteBatch(tx);
  });
}

export interface PeriodicPrunerConfig {
  /** Mean time between rounds; each wait is drawn between half and one and a half of it. */
  intervalMs: number;
  /** Rows per batch: a round deletes batches until one comes back short. */
  batchSize: number;
}

export interface PeriodicPruner {
  /** One round now: batches until one is short or another replica holds the lock. */
  runOnce(): Promise<number>;
  /** Waits for a round in progress (it stops after its current batch), then stops. */
  stop(): Promise<void>;
}

/**
 * Runs `pruneBatch` in rounds on an interval with jitter, so replicas started together drift
 * apart. Every replica runs one; the batch's try-lock lets one of them work at a time. Failures
 * are reported and retried next round: pruning is housekeeping, never a reason to stop serving.
 */
export function startPeriodicPruner(options: {
  config: PeriodicPrunerConfig;
  /** Deletes up to `batchSize` rows; null when another replica holds the lock. */
  pruneBatch: (batchSize: number) => Promise<number | null>;
  onPruned?: (rows: number) => void;
  onError?: (error: unknown) => void;
}): PeriodicPruner {
  const { config, pruneBatch } = options;
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;
  const track = <T>(work: Promise<T>): Promise<T> => {
    const settled = work.catch(() => undefined).finally(() => inFlight.delete(settled));
    inFlight.add(settled);
    return work;
  };

  async function round(): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await pruneBatch(config.batchSize);
      if (deleted === null) break;
      total += deleted;
      if (deleted < config.batchSize || stopped) break;
    }
    return total;
  }

  async function scheduledRound() {
    try {
      const total = await round();
      if (total > 0) options.onPruned?.(total);
    } catch (error) {
      options.onError?.(error);
    }
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        void track(scheduledRound()).then(schedule);
      },
      config.intervalMs * (0.5 + Math.random()),
    );
    timer.unref();
  };
  schedule();

  return {
    runOnce: () => track(round()),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.all(inFlight);
    },
  };
}
