import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDatabase, type DatabaseConnection } from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { sql } from 'drizzle-orm';
import { createMetricsRegistry, observePoolUsage } from '@todo/telemetry';

const registry = createMetricsRegistry();
let testDatabase: TestDatabase;
let connection: DatabaseConnection;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  connection = createDatabase(testDatabase.url, {
    max: 2,
    instrument: (client) => observePoolUsage(client, registry, { max: 2 }),
  });
});
afterAll(async () => {
  await connection.close();
  await testDatabase.drop();
});

const gauge = async (name: string) => {
  const metric = await registry.getSingleMetric(name)!.get();
  return metric.values.map((v) => v.value).reduce((a, b) => a + b, 0);
};

describe('observePoolUsage', () => {
  it('reports the pool size, the connections held and what waits beyond them', async () => {
    expect(await gauge('db_client_connection_max')).toBe(2);
    expect(await gauge('db_client_connection_count')).toBe(0);

    // Three transactions held open at once on a pool of two: two hold connections, one waits.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transactions = [1, 2, 3].map(() =>
      connection.db.transaction(async (tx) => {
        await tx.execute(sql`SELECT 1`);
        await held;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(await gauge('db_client_connection_count')).toBe(2);
    expect(await gauge('db_client_connection_pending_requests')).toBe(1);
    release();
    await Promise.all(transactions);

    expect(await gauge('db_client_connection_count')).toBe(0);
    expect(await gauge('db_client_connection_pending_requests')).toBe(0);
    // A query outside a transaction still answers as drizzle asked (rows as objects).
    const rows = await connection.db.execute<{ one: number }>(sql`SELECT 1 AS one`);
    expect([...rows]).toEqual([{ one: 1 }]);
    expect(await gauge('db_client_connection_count')).toBe(0);
  });
});
