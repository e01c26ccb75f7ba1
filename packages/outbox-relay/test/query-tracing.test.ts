import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDatabase, outbox, type DatabaseConnection } from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { recordSpans } from '@todo/service-runtime/testing';
import { traceQueries, tracer } from '@todo/telemetry';
import { eq, sql } from 'drizzle-orm';

const tracing = await recordSpans('task-api');
let testDatabase: TestDatabase;
let connection: DatabaseConnection;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  connection = createDatabase(testDatabase.url, { max: 2, instrument: traceQueries });
});
afterAll(async () => {
  await connection.close();
  await testDatabase.drop();
  await tracing.shutdown();
});

describe('traceQueries', () => {
  it('gives each statement drizzle runs a span with its text but never its values, transactions around theirs', async () => {
    const secret = 'a-value-that-must-not-be-recorded';
    await tracer().startActiveSpan('request', async (request) => {
      await connection.db.select().from(outbox).where(eq(outbox.producer, secret));
      await connection.db.transaction(async (tx) => {
        await tx.execute(sql`SELECT ${secret}::text AS echoed`);
      });
      request.end();
    });
    const spans = tracing.spans();
    const byName = (name: string) => spans.filter((span) => span.name === name);
    const request = byName('request')[0]!;
    const transaction = byName('transaction')[0]!;
    const [plain, inside] = byName('SELECT');
    expect(plain!.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(transaction.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(inside!.parentSpanContext?.spanId).toBe(transaction.spanContext().spanId);
    expect(plain!.attributes).toMatchObject({
      'db.system.name': 'postgresql',
      'db.operation.name': 'SELECT',
    });
    expect(plain!.attributes['db.query.text']).toMatch(
      /from "outbox" where "outbox"."producer" = \$1/,
    );
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain(secret);
    // Every span ended after its statement answered.
    expect(plain!.endTime[0] + plain!.endTime[1] / 1e9).toBeGreaterThan(
      plain!.startTime[0] + plain!.startTime[1] / 1e9,
    );
  });

  it('records a failed statement’s error on its transaction without the statement’s values', async () => {
    const secret = 'a-parameter-that-must-not-be-recorded';
    await expect(
      connection.db.transaction(async (tx) => {
        await tx.execute(sql`SELECT ${secret}::text AS echoed, 1 / 0 AS boom`);
      }),
    ).rejects.toThrow(/division by zero|Failed query/);
    const transaction = tracing
      .spans()
      .filter((span) => span.name === 'transaction')
      .at(-1)!;
    expect(transaction.status.message).toMatch(/Failed query: SELECT \$1::text/);
    expect(JSON.stringify(tracing.spans().map((span) => span.status))).not.toContain(secret);
  });
});
