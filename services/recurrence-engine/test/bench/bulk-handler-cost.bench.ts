import { loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TaskRow } from '@todo/db';
import {
  createEngineTestApp,
  postBulk,
  postEvent,
  statusesOf,
  type EngineTestApp,
} from '../support/engine-app.js';
import { completedEnvelope, insertCompletedTask, insertUser } from '../support/fixtures.js';

/**
 * What handling a recurring completion costs the engine, per event, by how it arrives: one per
 * request (the single route, one at a time and 6 at once as daprd's non-bulk consumer delivers
 * up to one per partition), or bulk requests of 1, 50 and 100 entries. In-process (supertest,
 * the real app and PostgreSQL on this machine): wall time per event and the Node process's CPU
 * per event (PostgreSQL's CPU is not in it). Printed, never asserted.
 */
const EVENTS = Number(process.env.BULK_BENCH_EVENTS ?? 600);
const USERS = 20;
/** `BULK_BENCH_MODES="bulk of 100"`: only the modes named (comma-separated), e.g. to profile one. */
const ONLY = process.env.BULK_BENCH_MODES?.split(',').map((mode) => mode.trim());

describe('recurrence engine: cost per completion, single vs bulk', () => {
  let t: EngineTestApp;
  let users: string[];
  beforeAll(async () => {
    t = await createEngineTestApp();
    users = await Promise.all(Array.from({ length: USERS }, () => insertUser(t.database)));
  });
  afterAll(async () => {
    await t.close();
  });

  const parents = async (n: number): Promise<TaskRow[]> => {
    const rows: TaskRow[] = [];
    for (let i = 0; i < n; i += 1)
      rows.push(await insertCompletedTask(t.database, users[i % USERS]!));
    return rows;
  };

  const modes: Record<string, (events: unknown[]) => Promise<void>> = {
    'single, 1 in flight': async (events) => {
      for (const event of events) await postEvent(t.app, event).expect(200);
    },
    'single, 6 in flight': async (events) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 6 }, async () => {
          while (next < events.length) await postEvent(t.app, events[next++]).expect(200);
        }),
      );
    },
    ...Object.fromEntries(
      [1, 50, 100].map((size) => [
        `bulk of ${size}`,
        async (events: unknown[]) => {
          for (let i = 0; i < events.length; i += size) {
            const res = await postBulk(t.app, events.slice(i, i + size)).expect(200);
            expect(new Set(Object.values(statusesOf(res.body)))).toEqual(new Set(['SUCCESS']));
          }
        },
      ]),
    ),
  };

  it('prints wall and engine CPU time per event', async () => {
    const lines = [
      `load average at start: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    ];
    // Warm-up: JIT, pool connections, plan caches.
    for (const run of Object.values(modes))
      await run((await parents(20)).map((task) => completedEnvelope(task)));
    for (const [mode, run] of Object.entries(modes)) {
      if (ONLY && !ONLY.includes(mode)) continue;
      const events = (await parents(EVENTS)).map((task) => completedEnvelope(task));
      const cpu = process.cpuUsage();
      const started = performance.now();
      await run(events);
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      const [row] = await t.database.client<{ n: number }[]>`
        SELECT count(*)::int AS n FROM tasks
        WHERE parent_task_id = ANY(${events.map((e) => (e as { data: { task_id: string } }).data.task_id)})`;
      expect(row!.n).toBe(EVENTS);
      lines.push(
        `${mode.padEnd(20)} ${(ms / EVENTS).toFixed(3)} ms/event wall, ` +
          `${((used.user + used.system) / 1000 / EVENTS).toFixed(3)} ms/event engine CPU, ` +
          `${Math.round((EVENTS / ms) * 1000)} children/s`,
      );
    }
    lines.push(
      `load average at end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    process.stdout.write(`\n${EVENTS} recurring completions per mode:\n  ${lines.join('\n  ')}\n`);
  });
});
