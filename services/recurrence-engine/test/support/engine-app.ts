import { randomUUID } from 'node:crypto';
import {
  DAPR_BULK_DELIVERY_TYPE,
  PUBSUB_NAME,
  RECURRENCE_ENGINE_EVENTS_ROUTE,
  TASK_EVENTS_TOPIC,
} from '@todo/contracts';
import { createDatabase, type Database } from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { createCapturingLogger } from '@todo/service-runtime/testing';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app.js';

export const APP_TOKEN = 'test-app-token-0123456789abcdef';
/** The default of MAX_DELIVERY_ATTEMPTS. */
export const MAX_DELIVERY_ATTEMPTS = 5;

export interface EngineTestApp {
  app: Express;
  database: TestDatabase;
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * Delivers `body` to the engine's subscription route as the sidecar does: a CloudEvent with the
 * app token. Assertions on the answer are the caller's.
 */
export const postEvent = (app: Express, body: unknown) =>
  request(app)
    .post(RECURRENCE_ENGINE_EVENTS_ROUTE)
    .set('dapr-api-token', APP_TOKEN)
    .set('content-type', 'application/cloudevents+json')
    .send(JSON.stringify(body));

/**
 * Delivers `events` to the subscription route in one bulk request, as daprd does with
 * bulkSubscribe on: entry ids "0", "1", … (the Kafka component's), unless `entryIds` are given
 * (a retry carries only the entries still failing, under their first ids).
 */
export const postBulk = (app: Express, events: unknown[], entryIds?: string[]) =>
  request(app)
    .post(RECURRENCE_ENGINE_EVENTS_ROUTE)
    .set('dapr-api-token', APP_TOKEN)
    .set('content-type', 'application/json')
    .send(
      JSON.stringify({
        id: randomUUID(),
        type: DAPR_BULK_DELIVERY_TYPE,
        topic: TASK_EVENTS_TOPIC,
        pubsubname: PUBSUB_NAME,
        metadata: { pubsubName: PUBSUB_NAME },
        entries: events.map((event, i) => ({
          entryId: entryIds?.[i] ?? String(i),
          event,
          metadata: { __topic: TASK_EVENTS_TOPIC, __partition: '0', __offset: String(i) },
          contentType: 'application/cloudevents+json',
        })),
      }),
    );

/** A bulk answer's statuses by entry id. */
export const statusesOf = (body: { statuses: Array<{ entryId: string; status: string }> }) =>
  Object.fromEntries(body.statuses.map((s) => [s.entryId, s.status]));

export const captureLogs = () => createCapturingLogger('recurrence-engine');

/** The real engine app over its own migrated database (or one it is given to share). */
export async function createEngineTestApp(
  options: {
    database?: TestDatabase;
    appToken?: string;
    maxDeliveryAttempts?: number;
    /** The engine's own connection to `database`, e.g. with a statement timeout. */
    db?: Database;
  } = {},
): Promise<EngineTestApp> {
  const database = options.database ?? (await createTestDatabase());
  const { logger, logs } = captureLogs();
  const app = createApp({
    db: options.db ?? database.db,
    logger,
    appApiToken: options.appToken ?? APP_TOKEN,
    maxDeliveryAttempts: options.maxDeliveryAttempts ?? MAX_DELIVERY_ATTEMPTS,
    ready: database.ready,
  });
  return {
    app,
    database,
    logs,
    close: () => (options.database ? Promise.resolve() : database.drop()),
  };
}

/** An engine whose database is unreachable: a server that is not there. */
export function createEngineWithDatabaseDown() {
  const connection = createDatabase('postgres://nobody:nothing@127.0.0.1:1/none', { max: 1 });
  const { logger, logs } = captureLogs();
  const app = createApp({
    db: connection.db,
    logger,
    appApiToken: APP_TOKEN,
    maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS,
    ready: async () => {},
  });
  return { app, logs, close: () => connection.close() };
}
