import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  APP_IDS,
  EVENT_SOURCES,
  RECURRENCE_ENGINE_EVENTS_ROUTE,
  TASK_EVENT_TYPES,
} from '@todo/contracts';
import { publishBatch, createDirectTransport, traceTransport } from '@todo/outbox-relay';
import { recordTaskEvents, toCompletedData } from '@todo/db';
import { recordSpans } from '@todo/service-runtime/testing';
import { createEngineTestApp, APP_TOKEN, type EngineTestApp } from './support/engine-app.js';
import { childrenOf, insertCompletedTask, insertUser } from './support/fixtures.js';

const tracing = await recordSpans('todo');
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
/** The span of task-api's request that completed the task (what its outbox row keeps). */
const COMPLETION = `00-${TRACE}-00f067aa0ba902b7-01`;

/**
 * `pnpm dev`'s path, no sidecar: the relay POSTs the completion straight to the engine. The trace
 * runs on unbroken: completion → publish → the engine's request → handling → commit, and the
 * child's event keeps the commit's context.
 */
describe('one trace with the direct transport', () => {
  let t: EngineTestApp;
  let server: Server;
  let engineUrl: string;
  beforeAll(async () => {
    t = await createEngineTestApp();
    server = createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    engineUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
    await tracing.shutdown();
  });

  it('runs from the completion through the relay and the engine to the child’s event', async () => {
    const task = await insertCompletedTask(t.database, await insertUser(t.database));
    await recordTaskEvents(
      t.database.db,
      { producer: APP_IDS.taskApi, traceparent: COMPLETION },
      task,
      [{ type: TASK_EVENT_TYPES.completed, data: toCompletedData(task) }],
    );
    const transport = traceTransport(
      createDirectTransport({ engineUrl, source: EVENT_SOURCES.taskApi, appToken: APP_TOKEN }),
    );
    const outcome = await publishBatch(
      t.database.db,
      { producer: APP_IDS.taskApi, batchSize: 10, maxRetryDelayMs: 1000 },
      (messages) => transport.publish(messages),
    );
    expect(outcome).toMatchObject({ published: 1, failed: 0 });
    const [child] = await childrenOf(t.database, task.id);

    const spans = tracing.spans();
    const named = (name: string) => spans.find((span) => span.name === name)!;
    const parentOf = (name: string) => named(name).parentSpanContext?.spanId;
    const idOf = (name: string) => named(name).spanContext().spanId;
    expect(parentOf('publish task-events')).toBe('00f067aa0ba902b7');
    expect(parentOf(`POST ${RECURRENCE_ENGINE_EVENTS_ROUTE}`)).toBe(idOf('publish task-events'));
    expect(parentOf('process task-events')).toBe(idOf(`POST ${RECURRENCE_ENGINE_EVENTS_ROUTE}`));
    expect(parentOf('commit next occurrence')).toBe(idOf('process task-events'));
    for (const span of spans) expect(span.spanContext().traceId).toBe(TRACE);
    const [created] = await t.database.client<{ traceparent: string }[]>`
      SELECT traceparent FROM outbox WHERE type = ${TASK_EVENT_TYPES.created}
        AND payload -> 'task' ->> 'id' = ${child!.id}`;
    expect(created!.traceparent).toBe(`00-${TRACE}-${idOf('commit next occurrence')}-01`);
  });
});
