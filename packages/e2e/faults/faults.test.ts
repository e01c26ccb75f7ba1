import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TASK_EVENT_TYPES } from '@todo/contracts';
import {
  childCounts,
  eventually,
  formatTable,
  publishThroughSidecar,
  reconcile,
  signUp,
  startStack,
  type Reconciliation,
  type Stack,
} from '@todo/stack-harness';
import { KILLED_LINE } from './kill-after-publish.mjs';

/**
 * Loaded into task-api for one start only; see kill-after-publish.mjs and the README. (Importing
 * its KILLED_LINE above subscribes in this test process too, where no relay runs.)
 */
const KILL_AFTER_PUBLISH = new URL('./kill-after-publish.mjs', import.meta.url);

const BURST = 30;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Each scenario completes a burst of recurring tasks, injects a fault in the middle of it,
 * recovers, waits for the system to drain, and reconciles: every acknowledged completion must
 * have exactly one child, and no child may appear that nobody asked for.
 */
describe('fault injection on the real stack', () => {
  let stack: Stack;
  let user: Awaited<ReturnType<typeof signUp>>;
  const table: Reconciliation[] = [];

  beforeAll(async () => {
    stack = await startStack({ engineReplicas: 2, postgres: 'own' });
    user = await signUp(stack.api.app.url);
  }, 1_800_000);
  afterAll(async () => {
    process.stdout.write(`\nReconciliation\n${formatTable(table)}\n`);
    if (stack) {
      await stack.close();
      process.stdout.write(`fault stack log: ${stack.logFile}\n`);
    }
  });

  /** Creates a burst of recurring tasks, completes them while `fault` runs, then recovers. */
  async function scenario(
    name: string,
    fault: () => Promise<void>,
    recover: () => Promise<void>,
    prepare: () => Promise<void> = async () => {},
  ) {
    const created = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        user.create({
          title: `${name} ${i}`,
          due_date: '2030-06-03T09:00:00+02:00',
          recurring_type: 'weekly',
        }),
      ),
    );
    await prepare();
    const attempts: Array<{ taskId: string; acknowledged: boolean }> = [];
    const complete = async (taskId: string) => {
      const result = await user.complete(taskId).catch(() => ({ status: 0 }));
      attempts.push({ taskId, acknowledged: result.status === 200 });
    };
    const firstHalf = created.slice(0, BURST / 2);
    const secondHalf = created.slice(BURST / 2);
    await Promise.all(firstHalf.map((task) => complete(task.id)));
    await fault();
    await Promise.all(secondHalf.map((task) => complete(task.id)));
    await recover();
    const acknowledged = attempts.filter((a) => a.acknowledged).map((a) => a.taskId);
    await eventually(
      `${name}: every acknowledged completion to have its child`,
      () => childCounts(stack.database, acknowledged),
      (counts) => [...counts.values()].every((n) => n >= 1),
      180_000,
    ).catch(() => undefined); // reconciliation below reports what is missing
    await sleep(2000);
    const row = await reconcile(
      name,
      stack.database,
      attempts,
      created.map((t) => t.id),
    );
    table.push(row);
    return row;
  }

  const expectClean = (row: Reconciliation) => {
    expect({ lost: row.lost, duplicated: row.duplicated, unexpected: row.unexpected }).toEqual({
      lost: 0,
      duplicated: 0,
      unexpected: 0,
    });
    expect(row.acknowledged).toBeGreaterThan(0);
  };

  it('kill -9 an engine replica mid-burst', async () => {
    const engine = stack.engines[0]!;
    expectClean(
      await scenario(
        'kill -9 engine',
        () => engine.app.stop('SIGKILL'),
        () => engine.app.start(),
      ),
    );
  });

  it('kill -9 an engine’s sidecar mid-burst', async () => {
    const engine = stack.engines[1]!;
    expectClean(
      await scenario(
        'kill -9 engine sidecar',
        () => engine.sidecar.stop('SIGKILL'),
        () => engine.sidecar.restart(),
      ),
    );
  });

  it('kill -9 task-api right after its sidecar accepted a publish, before the rows were marked', async () => {
    // The preload wraps task-api's relay transport and kills the process after the first publish
    // the sidecar accepted; the rows stay unpublished, are published again after the restart (a
    // plain start, without the preload), and the engine deduplicates them.
    expectClean(
      await scenario(
        'kill -9 relay after publish',
        async () => {
          await eventually(
            'task-api to die by the kill-after-publish preload',
            async () => ({
              running: stack.api.app.running(),
              killed: stack.api.app.logs.some((line) => line.includes(KILLED_LINE)),
            }),
            ({ running, killed }) => !running && killed,
            60_000,
          );
        },
        () => stack.api.app.start(),
        async () => {
          // Once the burst's tasks are created (and their events published), arm the fault.
          await sleep(1500);
          await stack.api.app.stop();
          await stack.api.app.start({ NODE_OPTIONS: `--import=${KILL_AFTER_PUBLISH.href}` });
        },
      ),
    );
  });

  it('restart PostgreSQL', async () => {
    expectClean(
      await scenario(
        'restart PostgreSQL',
        () => stack.restartPostgres!(3000),
        async () => {
          // Requests fail while the server starts up; once one gets through, the service must
          // need no help: no connection left wedged, no stale error from the old server (both
          // were postgres.js bugs, patched in infra/pnpm-patches).
          await eventually(
            'task-api to write again after the restart',
            () =>
              user.create({ title: 'probe after restart' }).then(
                () => true,
                () => false,
              ),
            (ok) => ok,
            60_000,
          );
          const outcomes = await Promise.all(
            Array.from({ length: 40 }, (_, i) =>
              (i % 2 ? user.create({ title: 'after restart' }) : user.series(randomUUID())).then(
                () => 'ok',
                (error: unknown) => String(error),
              ),
            ),
          );
          expect(outcomes.filter((outcome) => outcome !== 'ok')).toEqual([]);
        },
      ),
    );
  });

  it('stop Kafka for 30 s', async () => {
    expectClean(
      await scenario(
        'Kafka down 30 s',
        async () => {
          await stack.kafka.stop();
          await sleep(30_000);
        },
        () => stack.kafka.restart(),
      ),
    );
  });

  it('a poison message in the middle of valid ones', async () => {
    const poisonId = randomUUID();
    const row = await scenario(
      'poison message',
      async () => {
        expect(
          await publishThroughSidecar(stack.api.sidecar.httpPort, {
            id: poisonId,
            type: TASK_EVENT_TYPES.completed,
            data: { poison: true },
            partitionKey: randomUUID(),
          }),
        ).toBe(204);
      },
      async () => {},
    );
    expectClean(row);
    await eventually(
      'the poison message on the dead-letter topic',
      async () => stack.audit!.deadLetters.map((e) => e.id),
      (ids) => ids.includes(poisonId),
    );
  });
});
