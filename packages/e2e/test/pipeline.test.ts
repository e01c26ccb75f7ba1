import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PUBSUB_NAME, TASK_EVENT_TYPES, TASK_EVENTS_TOPIC } from '@todo/contracts';
import { outbox } from '@todo/db';
import { eventually } from '@todo/service-runtime/testing';
import { eq } from 'drizzle-orm';
import {
  childCounts,
  ensureJaeger,
  outboxEventFor,
  publishThroughSidecar,
  recurrenceLatencies,
  signUp,
  stackScrapeTargets,
  startJaeger,
  startPrometheus,
  startStack,
  summarize,
  timesProcessed,
  type JaegerSpan,
  type JaegerTrace,
  type RunningJaeger,
  type RunningPrometheus,
  type Stack,
  type Task,
} from '@todo/stack-harness';
import { completionRows, engineCaughtUp } from './support/engine-progress.js';

/** How tests poll the stack: a database query or an in-memory log four times a second. */
const POLL = { intervalMs: 250, timeoutMs: 60_000 };

/**
 * The real parts on loopback: PostgreSQL, a Kafka broker, task-api and two recurrence-engine
 * replicas each with its own daprd sidecar, and a second subscriber app with its own app id.
 * Due dates are in 2030 so that completing now is never "overdue".
 */
describe('event pipeline on the real stack (daprd, Kafka, PostgreSQL)', () => {
  let stack: Stack;
  let jaeger: RunningJaeger | undefined;
  let user: Awaited<ReturnType<typeof signUp>>;
  const completedParents: string[] = [];
  const jaegerLog: string[] = [];

  beforeAll(async () => {
    // Every part sends its spans to one Jaeger (the first run builds it, like daprd).
    jaeger = await startJaeger({
      binary: await ensureJaeger((line) => process.stderr.write(`${line}\n`)),
      log: (line) => jaegerLog.push(line),
    });
    stack = await startStack({
      engineReplicas: 2,
      tracing: { otlpHttpAddress: jaeger.otlpHttpAddress },
    });
    user = await signUp(stack.api.app.url);
  }, 1_800_000);
  afterAll(async () => {
    await jaeger?.stop();
    if (stack) {
      stack.logs.push(...jaegerLog.map((line) => `[jaeger] ${line}`));
      const latencies = await recurrenceLatencies(stack.database, completedParents);
      process.stdout.write(
        `${summarize('end-to-end recurrence latency (completion committed → child committed)', latencies)}\n`,
      );
      await stack.close();
      process.stdout.write(`e2e stack log: ${stack.logFile}\n`);
    }
  });

  const recurring = (title: string, extra: Record<string, unknown> = {}) =>
    user.create({
      title,
      due_date: '2030-04-01T09:00:00+02:00',
      recurring_type: 'weekly',
      ...extra,
    });

  async function completeAll(tasks: Task[]) {
    const results = await Promise.all(tasks.map((task) => user.complete(task.id)));
    expect(results.map((r) => r.status)).toEqual(tasks.map(() => 200));
    completedParents.push(...tasks.map((t) => t.id));
  }

  /** Every completion of these tasks marked published by the relay, which then never sends it again. */
  const allPublished = (taskIds: string[]) =>
    eventually(
      async () => {
        const rows = await completionRows(stack, taskIds);
        return rows.length === taskIds.length && rows.every((row) => row.publishedAt) && rows;
      },
      { ...POLL, what: 'every completion published' },
    );

  /**
   * Waits for a child of each parent, then asserts there is exactly one. A second child could
   * only come from a completion delivered again, so the check waits until no completion can be:
   * each is marked published (the relay sends a row again only until then), and the engines have
   * consumed a marker published behind it on its series' partition.
   */
  async function expectOneChildEach(parents: Task[], timeoutMs = 90_000) {
    const ids = parents.map((p) => p.id);
    await eventually(
      async () => [...(await childCounts(stack.database, ids)).values()].every((n) => n >= 1),
      { ...POLL, timeoutMs, what: 'one child per completed task' },
    );
    await allPublished(ids);
    await engineCaughtUp(
      stack,
      parents.map((p) => p.series_id),
    );
    const settled = await childCounts(stack.database, ids);
    expect([...settled.values()]).toEqual(ids.map(() => 1));
  }

  /**
   * Waits until the relay has tried each of these completions and failed (a row is marked with
   * the error), then asserts none was taken for published.
   */
  async function expectNonePublished(taskIds: string[]) {
    const rows = await eventually(
      async () => {
        const found = await completionRows(stack, taskIds);
        return (
          found.length === taskIds.length &&
          found.every((row) => row.publishedAt || row.lastError) &&
          found
        );
      },
      { ...POLL, what: 'the relay to try every completion' },
    );
    expect(rows.filter((row) => row.publishedAt)).toEqual([]);
  }

  const noChildren = async (tasks: Task[]) =>
    expect([
      ...(
        await childCounts(
          stack.database,
          tasks.map((t) => t.id),
        )
      ).values(),
    ]).toEqual(tasks.map(() => 0));

  it('completing a recurring task creates exactly one next occurrence with the right fields', async () => {
    const task = await user.create({
      title: 'Pay rent',
      description: 'Transfer',
      priority: 'high',
      tags: ['home'],
      due_date: '2030-01-31T09:00:00+01:00',
      recurring_type: 'monthly',
    });
    await completeAll([task]);
    await expectOneChildEach([task]);
    const series = await user.series(task.id);
    expect(series[1]).toMatchObject({
      title: 'Pay rent',
      description: 'Transfer',
      priority: 'high',
      tags: ['home'],
      status: 'pending',
      due_date: '2030-02-28T08:00:00.000Z',
      parent_task_id: task.id,
      occurrence_index: 1,
    });
    // The outbox event id travelled as the CloudEvent id all the way to the engine.
    const completed = await outboxEventFor(stack.database, task.id, TASK_EVENT_TYPES.completed);
    expect(completed!.publishedAt).not.toBeNull();
    expect(await timesProcessed(stack.database, completed!.eventId)).toBe(1);
  });

  it('one trace, found through Jaeger, runs from the completion through both sidecars to the child’s commit and its event', async () => {
    const task = await recurring('Feed the cat');
    await completeAll([task]);
    await expectOneChildEach([task]);
    // The completion's outbox row kept the request's span: its trace is the one to find.
    const completed = await outboxEventFor(stack.database, task.id, TASK_EVENT_TYPES.completed);
    const traceId = completed!.traceparent!.split('-')[1]!;
    /** The commit's ancestry in `trace`, from the commit up to the root, as `service: span`. */
    const ancestry = (trace: JaegerTrace) => {
      const spans = new Map(trace.spans.map((span) => [span.spanID, span]));
      const chain: string[] = [];
      let span: JaegerSpan | undefined = trace.spans.find(
        (candidate) => candidate.operationName === 'commit next occurrence',
      );
      while (span) {
        chain.push(`${trace.processes[span.processID]?.serviceName}: ${span.operationName}`);
        const parent: JaegerSpan['references'][number] | undefined = span.references.find(
          (ref) => ref.refType === 'CHILD_OF',
        );
        span = parent && spans.get(parent.spanID);
      }
      return chain;
    };
    // daprd reports under its app id, as the app does: its spans are told apart by their scope.
    const fromSidecar = (span: JaegerSpan) =>
      span.tags.some((tag) => tag.key === 'otel.scope.name' && tag.value === 'dapr-diagnostics');
    let last: JaegerTrace | undefined;
    // Each part exports on its own schedule: wait until the commit's ancestry reaches the request.
    const chain = await eventually(
      async () => {
        last = await jaeger!.trace(traceId);
        const found = last ? ancestry(last) : [];
        const childPublished = last?.spans.some(
          (span) =>
            span.operationName === 'publish task-events' &&
            last!.processes[span.processID]?.serviceName === 'recurrence-engine',
        );
        // daprd exports on its own schedule too: wait for task-api's sidecar as well.
        const taskApiSidecar = last?.spans.some(
          (span) =>
            last!.processes[span.processID]?.serviceName === 'task-api' && fromSidecar(span),
        );
        return (
          found.at(-1) === 'task-api: POST /api/tasks/{id}/complete' &&
          childPublished &&
          taskApiSidecar &&
          found
        );
      },
      {
        ...POLL,
        timeoutMs: 30_000,
        what: `trace ${traceId} in Jaeger from the request to the commit`,
      },
    ).catch((error: unknown) => {
      const spans = (last?.spans ?? []).map(
        (s) =>
          `${last!.processes[s.processID]?.serviceName}: ${s.operationName} ${s.spanID} <- ${s.references.map((r) => r.spanID).join(',')}`,
      );
      throw new Error(`${String(error)}; the trace's spans:\n${spans.join('\n')}`);
    });
    process.stdout.write(
      `the completion's trace, from the child's commit up:\n  ${chain.join('\n  ')}\n`,
    );
    expect(chain[0]).toBe('recurrence-engine: commit next occurrence');
    expect(chain).toContain('recurrence-engine: process task-events');
    expect(chain).toContain('task-api: publish task-events');
    expect(chain.at(-1)).toBe('task-api: POST /api/tasks/{id}/complete');
    // Between the publish and the engine's request: the engine's sidecar consuming the event from
    // Kafka (daprd's span, named for the topic, reported under its app id) under the publish span.
    const publishAt = chain.indexOf('task-api: publish task-events');
    expect(
      chain.slice(chain.indexOf('recurrence-engine: POST /dapr/task-events') + 1, publishAt),
    ).toEqual(['recurrence-engine: pubsub/task-events']);
    const spans = new Map(last!.spans.map((span) => [span.spanID, span]));
    /** A span and its ancestors in the trace, from it up to the root. */
    const lineOf = (span: JaegerSpan | undefined): JaegerSpan[] => {
      const line: JaegerSpan[] = [];
      while (span) {
        line.push(span);
        const parent = span.references.find((ref) => ref.refType === 'CHILD_OF');
        span = parent && spans.get(parent.spanID);
      }
      return line;
    };
    const processOf = (span: JaegerSpan) => last!.processes[span.processID]!;
    // Task-api's own sidecar took the publish in the same trace: the Dapr SDK's request to it
    // carried the publish span's context (a CLIENT span of the HTTP instrumentation between).
    const taskApiPublish = lineOf(
      last!.spans.find((span) => span.operationName === 'commit next occurrence'),
    ).find(
      (span) =>
        span.operationName === 'publish task-events' && processOf(span).serviceName === 'task-api',
    )!;
    const label = (span: JaegerSpan) =>
      `${processOf(span).serviceName}${fromSidecar(span) ? ' (daprd)' : ''}: ${span.operationName}`;
    // Each of task-api's sidecar spans, with its ancestors up to the publish, leaf first.
    const sidecarLines = last!.spans
      .filter((span) => processOf(span).serviceName === 'task-api' && fromSidecar(span))
      .map(lineOf)
      .filter((line) => line.includes(taskApiPublish))
      .map((line) => line.slice(0, line.indexOf(taskApiPublish) + 1).map(label));
    const deepest = sidecarLines.reduce<string[]>(
      (longest, line) => (line.length > longest.length ? line : longest),
      [],
    );
    process.stdout.write(`task-api's sidecar under the publish:\n  ${deepest.join('\n  ')}\n`);
    // The SDK's request (the HTTP instrumentation's CLIENT span), daprd's span for the bulk
    // publish API call, and under it the one daprd starts for the entry it hands to Kafka.
    const bulkPublish = `task-api (daprd): /v1.0-alpha1/publish/bulk/${PUBSUB_NAME}/${TASK_EVENTS_TOPIC}`;
    expect(deepest).toEqual([
      bulkPublish,
      bulkPublish,
      'task-api: POST',
      'task-api: publish task-events',
    ]);
    // And the trace goes on: the child's own event, published by the engine's relay under the
    // commit (through the database transaction that wrote it).
    const commit = last!.spans.find((span) => span.operationName === 'commit next occurrence')!;
    let above: JaegerSpan | undefined = last!.spans.find(
      (span) =>
        span.operationName === 'publish task-events' &&
        last!.processes[span.processID]?.serviceName === 'recurrence-engine',
    );
    const childPublishAncestors: string[] = [];
    while (above) {
      childPublishAncestors.push(above.spanID);
      const parent: JaegerSpan['references'][number] | undefined = above.references.find(
        (ref) => ref.refType === 'CHILD_OF',
      );
      above = parent && spans.get(parent.spanID);
    }
    expect(childPublishAncestors).toContain(commit.spanID);
  });

  describe('metrics, scraped by a real Prometheus', () => {
    let prometheus: RunningPrometheus | undefined;
    const prometheusDir = join(tmpdir(), `todo-e2e-prometheus-${randomUUID()}`);
    beforeAll(async () => {
      prometheus = await startPrometheus({
        dir: prometheusDir,
        targets: stackScrapeTargets(stack),
        log: (line) => stack.logs.push(`[prometheus] ${line}`),
      });
    }, 120_000);
    afterAll(async () => {
      await prometheus?.stop();
      await rm(prometheusDir, { recursive: true, force: true });
    });

    /** The one value of a query that sums to a scalar-like vector, or undefined when empty. */
    const single = async (promql: string) => (await prometheus!.query(promql))[0]?.value;

    it('answers PromQL for the recurrence lag and the outbox depth, from both services and daprd', async () => {
      const query = (promql: string) => prometheus!.query(promql);
      // Every target is up: both services' /metrics and their sidecars' (three apps here).
      await eventually(
        async () => {
          const up = await query('up');
          return up.length === 6 && up.every((sample) => sample.value === 1) && up;
        },
        { ...POLL, what: 'Prometheus to scrape all six targets' },
      );
      const lagCountBefore = (await single('sum(recurrence_lag_seconds_count)')) ?? 0;

      const task = await recurring('Water the plants');
      await completeAll([task]);
      await expectOneChildEach([task]);

      // The engine that created the child observed its lag; Prometheus has scraped it.
      await eventually(
        async () => ((await single('sum(recurrence_lag_seconds_count)')) ?? 0) > lagCountBefore,
        { ...POLL, what: 'the recurrence lag histogram to count the new child' },
      );
      const p99 = await single(
        'histogram_quantile(0.99, sum by (le) (recurrence_lag_seconds_bucket))',
      );
      expect(p99).toBeGreaterThan(0);
      expect(p99).toBeLessThan(60);

      // Outbox depth per producer: every replica reports it; nothing is left unpublished.
      const depth = await eventually(
        async () => {
          const samples = await query('max by (producer) (outbox_events_pending)');
          return samples.length === 2 && samples.every((s) => s.value === 0) && samples;
        },
        { ...POLL, what: 'both producers’ outbox depth at 0' },
      );
      expect(depth.map((s) => s.metric.producer).sort()).toEqual(['recurrence-engine', 'task-api']);
      expect(await single('max(outbox_oldest_pending_age_seconds)')).toBe(0);

      // daprd's own metrics: the engines' sidecars delivered events to their apps (daprd
      // updates its views on an interval of its own, so a later scrape may be the first). The
      // Subscription turns bulkSubscribe on, and daprd counts a bulk request's entries under a
      // name of their own: seeing it proves the engines were fed in bulk.
      await eventually(
        async () =>
          (
            await query(
              'sum by (service) (dapr_component_pubsub_ingress_bulk_event_count{job="daprd"})',
            )
          ).some((s) => s.metric.service === 'recurrence-engine' && s.value > 0),
        { ...POLL, what: 'daprd’s pub/sub deliveries to the engines in Prometheus' },
      );
      // task-api's requests, by route template (never a raw path with an id in it).
      const routes = await query(
        'sum by (http_route) (http_server_request_duration_seconds_count{service="task-api"})',
      );
      expect(routes.map((s) => s.metric.http_route)).toContain('/api/tasks/{id}/complete');
      expect(routes.map((s) => s.metric.http_route)).not.toContain(
        `/api/tasks/${task.id}/complete`,
      );
    });
  });

  it('follows a chain of completions with the right due dates and ends the series at COUNT', async () => {
    const first = await user.create({
      title: 'Standup',
      due_date: '2030-03-29T09:00:00+01:00',
      recurrence: { rrule: 'FREQ=DAILY;COUNT=3' },
    });
    let current = first;
    for (let i = 0; i < 3; i += 1) {
      await completeAll([current]);
      if (i === 2) break;
      const series = await eventually(
        async () => {
          const found = await user.series(first.id);
          return found.length === i + 2 && found;
        },
        { ...POLL, what: 'the next occurrence' },
      );
      current = series.at(-1)!;
    }
    const ended = await eventually(
      async () => {
        const rows = (
          await stack.database.db
            .select()
            .from(outbox)
            .where(eq(outbox.type, TASK_EVENT_TYPES.seriesEnded))
        ).filter((r) => r.aggregateId === first.id);
        return rows.length === 1 && rows;
      },
      { ...POLL, what: 'the series_ended event' },
    );
    expect(ended[0]!.payload).toMatchObject({ reason: 'count' });
    const dues = (await user.series(first.id)).map((t) => t.due_date);
    // 09:00 in Paris on both sides of the spring-forward night of 2030-03-31.
    expect(dues).toEqual([
      '2030-03-29T08:00:00.000Z',
      '2030-03-30T08:00:00.000Z',
      '2030-03-31T07:00:00.000Z',
    ]);
  });

  it('leaves exactly one child when the same event is delivered again', async () => {
    const task = await recurring('Redelivered');
    await completeAll([task]);
    await expectOneChildEach([task]);
    const completed = (await outboxEventFor(stack.database, task.id, TASK_EVENT_TYPES.completed))!;
    // The same event again (same CloudEvent id), and the same completion under a new id.
    for (const id of [completed.eventId, randomUUID()]) {
      expect(
        await publishThroughSidecar(stack.api.sidecar.httpPort, {
          id,
          type: completed.type,
          data: completed.payload,
          partitionKey: completed.aggregateId,
        }),
      ).toBe(204);
      await eventually(
        () =>
          stack.audit!.events.filter((e) => e.id === id).length >=
          (id === completed.eventId ? 2 : 1),
        { ...POLL, what: 'the audit app to see the redelivery' },
      );
    }
    // Both deliveries went to the series' partition, so a marker behind them is reached last.
    await engineCaughtUp(stack, [completed.aggregateId]);
    expect((await childCounts(stack.database, [task.id])).get(task.id)).toBe(1);
    expect(await timesProcessed(stack.database, completed.eventId)).toBe(1);
  });

  it('two engine replicas share the consumer group: a burst is handled once each, none lost', async () => {
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => recurring(`Burst ${i}`)));
    await completeAll(burst);
    await expectOneChildEach(burst);
    const handledBy = stack.engines.map(
      (engine) =>
        engine.app.logs.filter(
          (l) => l.startsWith(`[${engine.app.name}]`) && l.includes('"outcome":"child_created"'),
        ).length,
    );
    process.stdout.write(`children created per engine replica: ${handledBy.join(', ')}\n`);
    expect(handledBy.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(burst.length);
  });

  it('a second subscriber app receives every event too (consumer groups are per app)', async () => {
    const published = (await stack.database.db.select().from(outbox)).filter(
      (row) => row.publishedAt,
    );
    const seen = await eventually(
      () => {
        const ids = new Set(stack.audit!.events.map((e) => e.id as string));
        return published.every((row) => ids.has(row.eventId)) && ids;
      },
      { ...POLL, what: 'the audit app to receive every published event' },
    );
    expect(published.length).toBeGreaterThan(40);
    expect(published.filter((row) => !seen.has(row.eventId))).toEqual([]);
  });

  it('a malformed event ends on the dead-letter topic and does not block the events behind it', async () => {
    const poisonId = randomUUID();
    const seriesId = randomUUID();
    expect(
      await publishThroughSidecar(stack.api.sidecar.httpPort, {
        id: poisonId,
        type: TASK_EVENT_TYPES.completed,
        data: { not: 'a task' },
        partitionKey: seriesId,
      }),
    ).toBe(204);
    const behind = await recurring('Behind the poison');
    await completeAll([behind]);
    await expectOneChildEach([behind]);
    await eventually(() => stack.audit!.deadLetters.some((e) => e.id === poisonId), {
      ...POLL,
      what: 'the poison message on the dead-letter topic',
    });
    expect(await timesProcessed(stack.database, poisonId)).toBe(0);
  });

  it('with the engines stopped, completions wait in Kafka and become children when they return', async () => {
    await Promise.all(stack.engines.map((engine) => engine.stop()));
    const waiting = await Promise.all(
      Array.from({ length: 5 }, (_, i) => recurring(`While engines are down ${i}`)),
    );
    await completeAll(waiting);
    // The completions are in Kafka and the other subscriber has them: only the engines are missing.
    const rows = await allPublished(waiting.map((t) => t.id));
    await eventually(
      () => rows.every((row) => stack.audit!.events.some((e) => e.id === row.eventId)),
      { ...POLL, what: 'the audit app to receive the completions' },
    );
    await noChildren(waiting);
    await Promise.all(stack.engines.map((engine) => engine.start()));
    await expectOneChildEach(waiting);
  });

  it('with Kafka stopped, the API still answers and the events are published once it is back', async () => {
    await stack.kafka.stop();
    const waiting = await Promise.all(
      Array.from({ length: 5 }, (_, i) => recurring(`While Kafka is down ${i}`)),
    );
    await completeAll(waiting);
    try {
      // Nothing is marked published while the broker cannot take it (the relay reads daprd's
      // per-entry failures; the SDK alone would have reported success).
      await expectNonePublished(waiting.map((t) => t.id));
    } finally {
      await stack.kafka.restart();
    }
    await expectOneChildEach(waiting, 180_000);
  });

  it('with the task-api sidecar stopped, completions are kept and published when it is back', async () => {
    await stack.api.sidecar.stop();
    const waiting = await Promise.all(
      Array.from({ length: 5 }, (_, i) => recurring(`While the sidecar is down ${i}`)),
    );
    await completeAll(waiting);
    await expectNonePublished(waiting.map((t) => t.id));
    await noChildren(waiting);
    await stack.api.sidecar.restart();
    await expectOneChildEach(waiting, 120_000);
  });
});
