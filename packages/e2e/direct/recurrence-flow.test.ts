import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  APP_IDS,
  EVENT_SOURCES,
  RECURRENCE_ENGINE_EVENTS_ROUTE,
  TASK_EVENT_TYPES,
  toDeliveredCloudEvent,
} from '@todo/contracts';
import { outbox } from '@todo/db';
import { eventually } from '@todo/service-runtime/testing';
import { APP_TOKEN, signUp, startDirectStack, type DirectStack } from '@todo/stack-harness';
import { and, eq, isNull } from 'drizzle-orm';

/**
 * The whole recurrence flow across both services, each a real process, with no sidecars or
 * broker: task-api writes the completion and its outbox event, its relay delivers the event
 * straight to the engine (`EVENT_TRANSPORT=direct`, as `pnpm dev` runs), and the next occurrence
 * is read back through task-api. Every assertion waits for the outbox to drain first: a row is
 * marked published only once the engine has answered for it, and the engine commits a child (and
 * its own event) before it answers, so a drained outbox means every effect is visible.
 */
// Due dates are in 2030 because completions happen now (task-api reads the clock): completing
// early keeps the schedule, while an overdue completion would skip ahead to after today.
describe('recurrence flow across both services (task-api → outbox → engine → task-api)', () => {
  let stack: DirectStack;
  let user: Awaited<ReturnType<typeof signUp>>;

  beforeAll(async () => {
    stack = await startDirectStack();
    user = await signUp(stack.api.url);
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Waits until every outbox row, task-api's and the engine's, has been delivered. */
  const drained = () =>
    eventually(
      async () => {
        const undelivered = await stack.database.db
          .select({ eventId: outbox.eventId })
          .from(outbox)
          .where(isNull(outbox.publishedAt));
        return undelivered.length === 0;
      },
      { what: 'every outbox event delivered', timeoutMs: 30_000, intervalMs: 100 },
    );

  /** A task change through the typed client that must succeed; the task it answers. */
  const ok = async (change: 'complete' | 'reopen' | 'toggle', id: string) => {
    const params = { params: { path: { id } } };
    const { data, response } = await (change === 'complete'
      ? user.client.POST('/api/tasks/{id}/complete', params)
      : change === 'reopen'
        ? user.client.POST('/api/tasks/{id}/reopen', params)
        : user.client.PATCH('/api/tasks/{id}/toggle', params));
    expect(response.status).toBeLessThan(300);
    return data!;
  };

  it('keeps the completed task’s validator as the completion answered it: the engine only locks it', async () => {
    const created = await user.create({
      title: 'Stretch',
      due_date: '2030-02-04T08:00:00+01:00',
      recurring_type: 'daily',
    });
    const done = await ok('complete', created.id);
    expect(done.version).toBe(2);
    await drained();
    const child = (await user.series(created.id)).find((t) => t.parent_task_id === created.id);
    expect(child?.version).toBe(1);
    expect((await user.get(created.id)).task?.version).toBe(2);
    // A write conditional on the completion's answer still applies after the engine's work.
    const { response } = await user.client.PATCH('/api/tasks/{id}', {
      params: { path: { id: created.id }, header: { 'If-Match': '"v2"' } },
      body: { title: 'Stretch more' },
    });
    expect(response.status).toBe(200);
  });

  it('creates the next occurrence, visible through task-api with the right fields', async () => {
    const created = await user.create({
      title: 'Pay rent',
      description: 'Transfer',
      priority: 'high',
      tags: ['home'],
      due_date: '2030-01-31T09:00:00+01:00',
      recurring_type: 'monthly',
    });
    await ok('complete', created.id);
    await drained();

    const series = await user.series(created.id);
    expect(series).toHaveLength(2);
    const child = series.find((task) => task.parent_task_id === created.id)!;
    expect((await user.get(child.id)).task).toMatchObject({
      title: 'Pay rent',
      description: 'Transfer',
      priority: 'high',
      tags: ['home'],
      status: 'pending',
      due_date: '2030-02-28T08:00:00.000Z',
      recurring_type: 'monthly',
      occurrence_index: 1,
      series_id: created.id,
    });
  });

  it('follows a chain of completions with the right due dates, ending at COUNT', async () => {
    const created = await user.create({
      title: 'Standup',
      due_date: '2030-03-29T09:00:00+01:00',
      recurrence: { rrule: 'FREQ=DAILY;COUNT=4' },
    });
    let current = created.id;
    for (let i = 0; i < 5; i += 1) {
      await ok('complete', current);
      await drained();
      const open = (await user.series(created.id)).filter((task) => task.status === 'pending');
      if (open.length === 0) break;
      current = open[0]!.id;
    }
    const dues = (await user.series(created.id)).map((task) => task.due_date);
    // 09:00 in Paris on both sides of the spring-forward night of 2030-03-31.
    expect(dues).toEqual([
      '2030-03-29T08:00:00.000Z',
      '2030-03-30T08:00:00.000Z',
      '2030-03-31T07:00:00.000Z',
      '2030-04-01T07:00:00.000Z',
    ]);
    const ended = await stack.database.db
      .select()
      .from(outbox)
      .where(
        and(eq(outbox.type, TASK_EVENT_TYPES.seriesEnded), eq(outbox.aggregateId, created.id)),
      );
    expect(ended).toHaveLength(1);
  });

  // Two cases stop the engine so that every event reaches it only after all the requests, in
  // commit order, as a backlog after an outage would (the relay retries until it answers).
  async function withEngineDown(requests: () => Promise<void>) {
    await stack.engine.stop();
    try {
      await requests();
    } finally {
      await stack.engine.start();
    }
    await drained();
  }

  it('complete, reopen, complete again creates exactly one child', async () => {
    const created = await user.create({
      title: 'Gym',
      due_date: '2030-04-01T07:00:00Z',
      recurring_type: 'weekly',
    });
    await withEngineDown(async () => {
      await ok('complete', created.id);
      await ok('reopen', created.id);
      await ok('toggle', created.id);
    });
    const children = (await user.series(created.id)).filter(
      (task) => task.parent_task_id === created.id,
    );
    expect(children).toHaveLength(1);
    expect(children[0]!.due_date).toBe('2030-04-08T07:00:00.000Z');
  });

  it('redelivering every event leaves exactly one child per completion', async () => {
    await drained();
    const count = async () =>
      (await stack.database.client`SELECT count(*)::int AS n FROM tasks`)[0]!.n as number;
    const before = await count();
    const rows = await stack.database.db.select().from(outbox).orderBy(outbox.createdAt);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const res = await fetch(`${stack.engine.url}${RECURRENCE_ENGINE_EVENTS_ROUTE}`, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json', 'dapr-api-token': APP_TOKEN },
        body: JSON.stringify(
          toDeliveredCloudEvent({
            id: row.eventId,
            source:
              row.producer === APP_IDS.recurrenceEngine
                ? EVENT_SOURCES.recurrenceEngine
                : EVENT_SOURCES.taskApi,
            type: row.type,
            data: row.payload,
            time: row.createdAt.toISOString(),
            traceparent: row.traceparent,
          }),
        ),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'SUCCESS' });
    }
    expect(await count()).toBe(before);
  });

  it('completing an overdue occurrence creates the next one after the completion', async () => {
    const due = new Date(Date.now() - 3 * 86_400_000);
    due.setUTCHours(9, 0, 0, 0);
    const created = await user.create({
      title: 'Vitamins',
      due_date: due.toISOString(),
      recurrence: { rrule: 'FREQ=DAILY', timezone: 'UTC' },
    });
    const done = await ok('complete', created.id);
    await drained();
    const child = (await user.series(created.id)).find(
      (task) => task.parent_task_id === created.id,
    )!;
    const childDue = new Date(child.due_date!).getTime();
    const completedAt = new Date(done.completed_at!).getTime();
    expect(childDue).toBeGreaterThan(completedAt);
    expect(childDue - completedAt).toBeLessThanOrEqual(86_400_000);
    expect(new Date(child.due_date!).getUTCHours()).toBe(9);
  });

  it('deleting a task before its completion is delivered stops its series', async () => {
    const created = await user.create({ title: 'Water', recurring_type: 'daily' });
    await withEngineDown(async () => {
      await ok('complete', created.id);
      const deleted = await user.client.DELETE('/api/tasks/{id}', {
        params: { path: { id: created.id } },
      });
      expect(deleted.response.status).toBe(204);
    });
    expect(await user.series(created.id)).toHaveLength(0);
  });
});
