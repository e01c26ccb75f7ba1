import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { sql } from 'drizzle-orm';
import { eventually } from '@todo/service-runtime/testing';
import {
  pruneBatchUnderLock,
  pruningLockKey,
  startPeriodicPruner,
  type Executor,
} from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

/** The shared mechanism behind every table's retention: batches under a try-lock, in rounds. */
describe('pruning', () => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase();
    await t.client`CREATE TABLE prune_probe (id int PRIMARY KEY)`;
  });
  afterAll(async () => {
    await t.drop();
  });
  beforeEach(async () => {
    await t.client`TRUNCATE prune_probe`;
    await t.client`INSERT INTO prune_probe SELECT generate_series(1, 25)`;
  });

  const deleteOldest = (limit: number) => async (tx: Executor) =>
    (
      await tx.execute(sql`DELETE FROM prune_probe WHERE id IN (
        SELECT id FROM prune_probe ORDER BY id LIMIT ${limit})`)
    ).count;
  const remaining = async () =>
    Number((await t.client`SELECT count(*)::int AS n FROM prune_probe`)[0]!.n);

  it('names each job with a stable, distinct lock key', () => {
    expect(pruningLockKey('outbox:task-api')).toBe(pruningLockKey('outbox:task-api'));
    expect(pruningLockKey('outbox:task-api')).not.toBe(pruningLockKey('outbox:recurrence-engine'));
    // An int4, as pg_try_advisory_xact_lock(int, int) takes.
    const key = pruningLockKey('processed_events:recurrence-engine');
    expect(Number.isInteger(key) && key >= -(2 ** 31) && key < 2 ** 31).toBe(true);
  });

  it('lets one replica prune a job at a time; the other skips the round', async () => {
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstStarted!: () => void;
    const started = new Promise<void>((resolve) => (firstStarted = resolve));
    const first = pruneBatchUnderLock(t.db, 'probe', async (tx) => {
      firstStarted();
      await firstHolds;
      return deleteOldest(10)(tx);
    });
    await started;
    // Same job: the lock is taken, so nothing is deleted and the caller is told so.
    await expect(pruneBatchUnderLock(t.db, 'probe', deleteOldest(10))).resolves.toBeNull();
    // Another job has its own lock.
    await expect(pruneBatchUnderLock(t.db, 'other probe', async () => 0)).resolves.toBe(0);
    releaseFirst();
    await expect(first).resolves.toBe(10);
    // The lock went with the first batch's transaction.
    await expect(pruneBatchUnderLock(t.db, 'probe', deleteOldest(10))).resolves.toBe(10);
    expect(await remaining()).toBe(5);
  });

  it('runs batches of at most batchSize until one comes back short', async () => {
    const batches: number[] = [];
    const pruner = startPeriodicPruner({
      config: { intervalMs: 3_600_000, batchSize: 10 },
      pruneBatch: async (limit) => {
        const deleted = await pruneBatchUnderLock(t.db, 'probe', deleteOldest(limit));
        batches.push(deleted ?? -1);
        return deleted;
      },
    });
    try {
      await expect(pruner.runOnce()).resolves.toBe(25);
      expect(batches).toEqual([10, 10, 5]);
      expect(await remaining()).toBe(0);
    } finally {
      await pruner.stop();
    }
  });

  it('runs on its own on the interval, reports what it pruned, and survives a failing round', async () => {
    const pruned: number[] = [];
    const errors: unknown[] = [];
    let calls = 0;
    const pruner = startPeriodicPruner({
      config: { intervalMs: 20, batchSize: 100 },
      pruneBatch: async (limit) => {
        calls += 1;
        if (calls === 1) throw new Error('database away');
        return pruneBatchUnderLock(t.db, 'probe', deleteOldest(limit));
      },
      onPruned: (rows) => pruned.push(rows),
      onError: (error) => errors.push(error),
    });
    try {
      await eventually(() => pruned.length > 0, { what: 'a round that prunes' });
      expect(errors).toHaveLength(1);
      expect(pruned).toEqual([25]);
    } finally {
      await pruner.stop();
    }
    // Stopped: no round after it, while a pruner on the same interval runs three.
    const callsAtStop = calls;
    let witnessRounds = 0;
    const witness = startPeriodicPruner({
      config: { intervalMs: 20, batchSize: 1 },
      pruneBatch: async () => {
        witnessRounds += 1;
        return 0;
      },
    });
    await eventually(() => witnessRounds >= 3, { what: 'three rounds of another pruner' });
    await witness.stop();
    expect(calls).toBe(callsAtStop);
  });
});
