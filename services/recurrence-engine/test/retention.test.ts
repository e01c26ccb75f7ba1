import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { type DatabaseConnection } from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { createCapturingLogger, eventually } from '@todo/service-runtime/testing';
import { CONSUMER } from '../src/occurrences/create-next-occurrence.js';
import {
  pruneAbandonedAttemptsBatch,
  pruneProcessedEventsBatch,
  startEngineRetention,
} from '../src/retention/engine-retention.js';
import { createEngineTestApp, postEvent, type EngineTestApp } from './support/engine-app.js';
import { connectAsEngineRole } from './support/faults.js';
import {
  childrenOf,
  completedEnvelope,
  insertCompletedTask,
  insertUser,
} from './support/fixtures.js';

const DAY = 86_400;
const WINDOW = 14 * DAY;

/**
 * Issue 17: the engine prunes its processed-event records (its dedupe keys) and abandoned attempt
 * counts after PROCESSED_EVENTS_RETENTION_SECONDS, one replica at a time, while it works. Runs
 * as the engine's deployed database role, so the grants it needs (migration 0011) are tested too.
 */
describe('engine retention', () => {
  let admin: TestDatabase;
  let asEngine: DatabaseConnection;
  let t: EngineTestApp;
  let userId: string;

  beforeAll(async () => {
    admin = await createTestDatabase();
    asEngine = await connectAsEngineRole(admin);
    t = await createEngineTestApp({ database: admin, db: asEngine.db });
    userId = await insertUser(admin);
  });
  afterAll(async () => {
    await asEngine.close();
    await admin.drop();
  });

  const deliver = (body: unknown) =>
    postEvent(t.app, body)
      .expect(200)
      .then((res) => res.body.status as string);
  const outcomeOf = (eventId: string) =>
    t.logs
      .filter((l) => l.eventId === eventId && l.message === 'task completion handled')
      .map((l) => l.outcome as string);
  const processedIds = async (consumer: string = CONSUMER) =>
    new Set(
      (
        await admin.client<{ event_id: string }[]>`
          SELECT event_id FROM processed_events WHERE consumer = ${consumer}`
      ).map((r) => r.event_id),
    );
  /** Records handled `ageSeconds` ago, as the engine would have written them then. */
  const seedProcessed = async (count: number, ageSeconds: number, consumer: string = CONSUMER) => {
    const ids = Array.from({ length: count }, () => randomUUID());
    await admin.client`
      INSERT INTO processed_events (consumer, event_id, processed_at)
      SELECT ${consumer}, id, now() - make_interval(secs => ${ageSeconds})
      FROM unnest(${ids}::text[]) AS id`;
    return ids;
  };
  const forget = (eventId: string) =>
    admin.client`UPDATE processed_events SET processed_at = now() - make_interval(secs => ${WINDOW + 60})
      WHERE event_id = ${eventId}`;

  it('deletes only its own records older than the window, oldest first, a batch at a time', async () => {
    await admin.client`DELETE FROM processed_events`;
    const old = await seedProcessed(25, WINDOW + 60);
    const recent = await seedProcessed(5, WINDOW - 60);
    const otherConsumer = await seedProcessed(5, WINDOW + 60, 'another-consumer');

    await expect(pruneProcessedEventsBatch(asEngine.db, WINDOW, 10)).resolves.toBe(10);
    await expect(pruneProcessedEventsBatch(asEngine.db, WINDOW, 10)).resolves.toBe(10);
    await expect(pruneProcessedEventsBatch(asEngine.db, WINDOW, 10)).resolves.toBe(5);
    await expect(pruneProcessedEventsBatch(asEngine.db, WINDOW, 10)).resolves.toBe(0);

    const left = await processedIds();
    expect(old.some((id) => left.has(id))).toBe(false);
    expect(left).toEqual(new Set(recent));
    expect(await processedIds('another-consumer')).toEqual(new Set(otherConsumer));
  });

  it('drops attempt counts no delivery came back for within the window, and keeps live ones', async () => {
    const abandoned = randomUUID();
    const live = randomUUID();
    await admin.client`
      INSERT INTO delivery_attempts (consumer, event_id, attempts, first_attempt_at, last_attempt_at)
      VALUES (${CONSUMER}, ${abandoned}, 3, now() - interval '30 days', now() - interval '20 days'),
             (${CONSUMER}, ${live}, 2, now() - interval '30 days', now() - interval '1 minute')`;
    await expect(pruneAbandonedAttemptsBatch(asEngine.db, WINDOW, 10)).resolves.toBe(1);
    const left = await admin.client<{ event_id: string }[]>`
      SELECT event_id FROM delivery_attempts WHERE event_id IN (${abandoned}, ${live})`;
    expect(left.map((r) => r.event_id)).toEqual([live]);
  });

  it('prunes while the engine handles completions: no record inside the window goes, no child twice', async () => {
    await admin.client`DELETE FROM processed_events`;
    await seedProcessed(600, WINDOW + 60);
    const { logger, logs } = createCapturingLogger('retention-test');
    // Two replicas' pruners, small batches, rounds every few milliseconds.
    const replicas = [1, 2].map(() =>
      startEngineRetention({
        db: asEngine.db,
        logger,
        config: { retentionSeconds: WINDOW, intervalMs: 5, batchSize: 20 },
      }),
    );
    try {
      const parents = await Promise.all(
        Array.from({ length: 20 }, () => insertCompletedTask(admin, userId)),
      );
      const envelopes = parents.map((parent) => completedEnvelope(parent));
      // Each completion delivered twice at once, as a redelivery racing the first would be.
      const answers = await Promise.all(envelopes.flatMap((e) => [deliver(e), deliver(e)]));
      expect(new Set(answers)).toEqual(new Set(['SUCCESS']));

      await eventually(async () => (await processedIds()).size === envelopes.length, {
        what: 'the backlog pruned, the new records kept',
      });
      expect(await processedIds()).toEqual(new Set(envelopes.map((e) => e.id as string)));
      for (const parent of parents) expect(await childrenOf(admin, parent.id)).toHaveLength(1);
      // Redelivered after the prune: still answered from the records.
      for (const envelope of envelopes) {
        await deliver(envelope);
        expect(outcomeOf(envelope.id as string)).toContain('duplicate');
      }
      expect(logs.some((l) => l.message === 'processed events pruned')).toBe(true);
      expect(logs.filter((l) => l.level === 'warn')).toEqual([]);
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
    }
  });

  describe('a redelivery that arrives after its record was pruned', () => {
    /** Handles a completion, then ages its record past the window and prunes it. */
    const handledThenForgotten = async () => {
      const parent = await insertCompletedTask(admin, userId);
      const envelope = completedEnvelope(parent);
      expect(await deliver(envelope)).toBe('SUCCESS');
      const [child] = await childrenOf(admin, parent.id);
      await forget(envelope.id as string);
      while ((await pruneProcessedEventsBatch(asEngine.db, WINDOW, 1000)) === 1000);
      expect((await processedIds()).has(envelope.id as string)).toBe(false);
      return { parent, envelope, child: child! };
    };

    it('creates no second child while the first exists: the unique index on parent_task_id', async () => {
      const { parent, envelope, child } = await handledThenForgotten();
      expect(await deliver(envelope)).toBe('SUCCESS');
      expect(outcomeOf(envelope.id as string)).toEqual(['child_created', 'child_exists']);
      expect((await childrenOf(admin, parent.id)).map((c) => c.id)).toEqual([child.id]);
      // The guard itself: the database refuses a second child of the same parent, whoever writes it.
      await expect(
        admin.client`INSERT INTO tasks (user_id, title, parent_task_id) VALUES (${userId}, 'again', ${parent.id})`,
      ).rejects.toThrow(/tasks_one_child_per_parent_key/);
    });

    it('creates nothing for a task since reopened, completed again or deleted', async () => {
      const reopened = await handledThenForgotten();
      await admin.client`DELETE FROM tasks WHERE id = ${reopened.child.id}`;
      await admin.client`UPDATE tasks SET status = 'pending', completed_at = NULL
        WHERE id = ${reopened.parent.id}`;
      await deliver(reopened.envelope);
      expect(outcomeOf(reopened.envelope.id as string)).toEqual(['child_created', 'task_reopened']);

      const again = await handledThenForgotten();
      await admin.client`DELETE FROM tasks WHERE id = ${again.child.id}`;
      await admin.client`UPDATE tasks SET completed_at = completed_at + interval '1 day'
        WHERE id = ${again.parent.id}`;
      await deliver(again.envelope);
      expect(outcomeOf(again.envelope.id as string)).toEqual(['child_created', 'stale_completion']);

      const deleted = await handledThenForgotten();
      await admin.client`DELETE FROM tasks WHERE id = ${deleted.parent.id}`;
      await deliver(deleted.envelope);
      expect(outcomeOf(deleted.envelope.id as string)).toEqual(['child_created', 'task_deleted']);

      for (const { parent } of [reopened, again])
        expect(await childrenOf(admin, parent.id)).toEqual([]);
    });

    it('would bring back an occurrence the user deleted: why the window outlasts every redelivery', async () => {
      // The one case no row guards: the parent is still done with the same completion and its
      // child is gone. Only the record can tell this redelivery from a first delivery, which is
      // why PROCESSED_EVENTS_RETENTION_SECONDS is longer than the broker keeps the event
      // (README: "Retention"): past it, no redelivery can arrive.
      const { parent, envelope, child } = await handledThenForgotten();
      await admin.client`DELETE FROM tasks WHERE id = ${child.id}`;
      await deliver(envelope);
      expect(outcomeOf(envelope.id as string)).toEqual(['child_created', 'child_created']);
      const recreated = await childrenOf(admin, parent.id);
      expect(recreated).toHaveLength(1);
      expect(recreated[0]!.id).not.toBe(child.id);
    });
  });
});
