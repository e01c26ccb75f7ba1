import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import postgres from 'postgres';
import { createTestDatabase, loginAsRole, type TestDatabase } from '../src/testing/index.js';

/** Migration 0011: what the services' pruning needs from their roles, and its indexes. */
describe('retention (migration 0011)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('lets each service delete published outbox rows, and the engine its processed events', async () => {
    const api = postgres(await loginAsRole(t, 'todo_task_api'), { max: 1 });
    const engine = postgres(await loginAsRole(t, 'todo_recurrence_engine'), { max: 1 });
    try {
      for (const [sql, producer] of [
        [api, 'task-api'],
        [engine, 'recurrence-engine'],
      ] as const) {
        const eventId = randomUUID();
        await t.client`INSERT INTO outbox (event_id, producer, aggregate_id, type, payload, published_at)
          VALUES (${eventId}, ${producer}, ${randomUUID()}, 't', '{}', now())`;
        const deleted = await sql`DELETE FROM outbox WHERE event_id = ${eventId}`;
        expect(deleted.count).toBe(1);
      }
      await t.client`INSERT INTO processed_events (consumer, event_id) VALUES ('recurrence-engine', 'e1')`;
      expect((await engine`DELETE FROM processed_events WHERE event_id = 'e1'`).count).toBe(1);
      await expect(api`DELETE FROM processed_events`).rejects.toThrow(/permission denied/);
    } finally {
      await Promise.all([api.end(), engine.end()]);
    }
  });

  it('serves both prune queries from their indexes', async () => {
    // One transaction, so the setting and the EXPLAIN share a connection of the pool.
    const plan = (query: string) =>
      t.client.begin(async (sql) => {
        await sql`SET LOCAL enable_seqscan = off`;
        const rows = await sql.unsafe(`EXPLAIN ${query}`);
        return rows.map((row) => row['QUERY PLAN'] as string).join('\n');
      });
    expect(
      await plan(`SELECT event_id FROM outbox WHERE producer = 'task-api'
        AND published_at IS NOT NULL AND published_at < now() - interval '7 days'
        ORDER BY published_at LIMIT 1000`),
    ).toMatch(/Index (Only )?Scan using outbox_published_idx/);
    expect(
      await plan(`SELECT event_id FROM processed_events WHERE consumer = 'recurrence-engine'
        AND processed_at < now() - interval '14 days' ORDER BY processed_at LIMIT 1000`),
    ).toMatch(/Index (Only )?Scan using processed_events_consumer_processed_at_idx/);
  });
});
