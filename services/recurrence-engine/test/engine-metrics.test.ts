import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDatabase } from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { createMetricsRegistry, serveMetrics, type MetricsServer } from '@todo/telemetry';
import { createApp } from '../src/app.js';
import {
  APP_TOKEN,
  captureLogs,
  MAX_DELIVERY_ATTEMPTS,
  postBulk,
  postEvent,
} from './support/engine-app.js';
import {
  childrenOf,
  completedEnvelope,
  insertCompletedTask,
  insertUser,
} from './support/fixtures.js';

/** The sample of one series in Prometheus's text format (exact name and labels), or undefined. */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('the engine’s metrics, scraped over HTTP', () => {
  let database: TestDatabase;
  let metricsServer: MetricsServer;
  let scrape: () => Promise<string>;
  const registry = createMetricsRegistry();
  const down = createDatabase('postgres://nobody:nothing@127.0.0.1:1/none', { max: 1 });

  beforeAll(async () => {
    database = await createTestDatabase();
    metricsServer = serveMetrics(registry, { port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => metricsServer.server.once('listening', () => resolve()));
    const port = (metricsServer.server.address() as AddressInfo).port;
    scrape = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      return response.text();
    };
  });
  afterAll(async () => {
    await metricsServer.close();
    await down.close();
    await database.drop();
  });

  const engine = (db = database.db) =>
    createApp({
      db,
      logger: captureLogs().logger,
      appApiToken: APP_TOKEN,
      maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS,
      ready: database.ready,
      metrics: registry,
    });

  it('counts events by outcome and observes the lag from completion to the child’s commit', async () => {
    const app = engine();
    const before = await scrape();
    for (const outcome of ['success', 'retry', 'drop', 'dead_lettered']) {
      expect(sample(before, `recurrence_engine_events_handled_total{outcome="${outcome}"}`)).toBe(
        0,
      );
    }
    expect(sample(before, 'recurrence_lag_seconds_count')).toBe(0);

    const userId = await insertUser(database);
    // Completed three seconds ago: the child commits about three seconds after it.
    const parent = await insertCompletedTask(database, userId, {
      completedAt: new Date(Date.now() - 3000),
    });
    const envelope = completedEnvelope(parent);
    await postEvent(app, envelope).expect(200, { status: 'SUCCESS' });
    expect(await childrenOf(database, parent.id)).toHaveLength(1);
    // A redelivery is acknowledged without a second child: no second lag.
    await postEvent(app, envelope).expect(200, { status: 'SUCCESS' });
    await postEvent(app, { not: 'a cloud event' }).expect(200, { status: 'DROP' });
    await postEvent(engine(down.db), completedEnvelope(parent)).expect(200, { status: 'RETRY' });

    const text = await scrape();
    expect(sample(text, 'recurrence_engine_events_handled_total{outcome="success"}')).toBe(2);
    expect(sample(text, 'recurrence_engine_events_handled_total{outcome="drop"}')).toBe(1);
    expect(sample(text, 'recurrence_engine_events_handled_total{outcome="retry"}')).toBe(1);
    expect(sample(text, 'recurrence_lag_seconds_count')).toBe(1);
    expect(sample(text, 'recurrence_lag_seconds_bucket{le="2.5"}')).toBe(0);
    expect(sample(text, 'recurrence_lag_seconds_bucket{le="5"}')).toBe(1);
    expect(sample(text, 'recurrence_lag_seconds_sum')).toBeGreaterThanOrEqual(3);

    // Requests are timed by the route's template.
    expect(
      sample(
        text,
        'http_server_request_duration_seconds_count{http_request_method="POST",http_route="/dapr/task-events",http_response_status_code="200"}',
      ),
    ).toBe(4);
  });

  it('counts an event parked after its last allowed attempt as dead-lettered', async () => {
    const before =
      sample(await scrape(), 'recurrence_engine_events_handled_total{outcome="dead_lettered"}') ??
      0;
    const app = createApp({
      db: database.db,
      logger: captureLogs().logger,
      appApiToken: APP_TOKEN,
      maxDeliveryAttempts: 1,
      ready: database.ready,
      metrics: registry,
    });
    const userId = await insertUser(database);
    const parent = await insertCompletedTask(database, userId);
    const envelope = completedEnvelope(parent);
    // An earlier delivery was counted and never answered (its process died): this one is past
    // the limit of one, so the engine parks the event and acknowledges it.
    await database.client`
      INSERT INTO delivery_attempts (consumer, event_id, attempts, last_error)
      VALUES ('recurrence-engine', ${String(envelope.id)}, 1, 'timed out')`;
    await postEvent(app, envelope).expect(200, { status: 'SUCCESS' });
    expect(await childrenOf(database, parent.id)).toHaveLength(0);
    const text = await scrape();
    expect(sample(text, 'recurrence_engine_events_handled_total{outcome="dead_lettered"}')).toBe(
      before + 1,
    );
    expect(sample(text, 'recurrence_engine_parked_events{consumer="recurrence-engine"}')).toBe(1);
  });

  it('counts each entry of a bulk delivery as one delivery, and its children’s lag', async () => {
    const handled = (text: string, outcome: string) =>
      sample(text, `recurrence_engine_events_handled_total{outcome="${outcome}"}`) ?? 0;
    const before = await scrape();
    const userId = await insertUser(database);
    const parents = await Promise.all(
      [1, 2].map(() =>
        insertCompletedTask(database, userId, { completedAt: new Date(Date.now() - 1000) }),
      ),
    );
    const first = completedEnvelope(parents[0]!);
    const res = await postBulk(engine(), [
      first,
      completedEnvelope(parents[1]!),
      first,
      { not: 'a cloud event' },
    ]).expect(200);
    expect(res.body.statuses.map((s: { status: string }) => s.status)).toEqual([
      'SUCCESS',
      'SUCCESS',
      'SUCCESS',
      'DROP',
    ]);
    const text = await scrape();
    expect(handled(text, 'success') - handled(before, 'success')).toBe(3);
    expect(handled(text, 'drop') - handled(before, 'drop')).toBe(1);
    const lagCount = (t: string) => sample(t, 'recurrence_lag_seconds_count') ?? 0;
    expect(lagCount(text) - lagCount(before)).toBe(2);
  });
});
