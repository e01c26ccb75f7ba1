/**
 * Pipeline benchmark on the real stack (daprd sidecars, Kafka, PostgreSQL): N completions of
 * recurring tasks, fired at a fixed concurrency; throughput sustained until every child exists,
 * end-to-end latency and outbox publish lag from database timestamps, peak memory per service.
 */
import { fileURLToPath } from 'node:url';
import { TASK_EVENT_TYPES } from '@todo/contracts';
import { outbox, tasks } from '@todo/db';
import { eventually, signUp } from '@todo/e2e/api-client';
import { startStack } from '@todo/e2e/stack';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { markdownTable, peakRssMiB, percentile, type Row } from './measure.js';

const COMPLETIONS = Number(process.env.BENCH_COMPLETIONS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
// Dapr hands each Kafka partition to the app one message at a time, so partitions bound how many
// completions one engine replica works on at once.
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 6);

export async function pipelineBench(): Promise<{ rows: Row[]; memory: Row[] }> {
  const stack = await startStack({
    engineReplicas: 1,
    postgres: 'own',
    kafkaPartitions: PARTITIONS,
  });
  try {
    const user = await signUp(stack.api.app.url);
    const created = [];
    for (let i = 0; i < COMPLETIONS; i += CONCURRENCY) {
      created.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(CONCURRENCY, COMPLETIONS - i) }, (_, j) =>
            user.create({
              title: `Bench ${i + j}`,
              due_date: '2030-06-03T09:00:00+02:00',
              recurring_type: 'daily',
            }),
          ),
        )),
      );
    }
    const ids = created.map((task) => task.id);
    const started = Date.now();
    let cursor = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (cursor < ids.length) {
          const id = ids[cursor++]!;
          await user.complete(id);
        }
      }),
    );
    const completedIn = Date.now() - started;
    const children = await eventually(
      'every child',
      () =>
        stack.database.db
          .select()
          .from(tasks)
          .where(and(inArray(tasks.parentTaskId, ids), isNotNull(tasks.parentTaskId))),
      (rows) => rows.length >= ids.length,
      300_000,
    );
    const parents = await stack.database.db.select().from(tasks).where(inArray(tasks.id, ids));
    const completedAt = new Map(parents.map((p) => [p.id, p.completedAt!.getTime()]));
    const firstCompletion = Math.min(...completedAt.values());
    const lastChild = Math.max(...children.map((c) => c.createdAt.getTime()));
    const latencies = children.map(
      (c) => c.createdAt.getTime() - completedAt.get(c.parentTaskId!)!,
    );
    const published = (
      await stack.database.db
        .select()
        .from(outbox)
        .where(eq(outbox.type, TASK_EVENT_TYPES.completed))
    ).filter((r) => r.publishedAt);
    const lags = published.map((r) => r.publishedAt!.getTime() - r.createdAt.getTime());
    const rows: Row[] = [
      {
        metric: `${COMPLETIONS} completions at concurrency ${CONCURRENCY}, ${PARTITIONS} partitions, 1 engine`,
        'completions/s (API)': Math.round((COMPLETIONS / completedIn) * 1000),
        'sustained until every child exists (/s)': Math.round(
          (COMPLETIONS / (lastChild - firstCompletion)) * 1000,
        ),
        'e2e p50 ms': percentile(latencies, 0.5),
        'e2e p95 ms': percentile(latencies, 0.95),
        'e2e p99 ms': percentile(latencies, 0.99),
        'e2e max ms': Math.max(...latencies),
        'publish lag p50 ms': percentile(lags, 0.5),
        'publish lag p99 ms': percentile(lags, 0.99),
      },
    ];
    const memory: Row[] = [
      { process: 'task-api (pipeline load)', 'peak RSS MiB': peakRssMiB(stack.api.app.pid()) },
      {
        process: 'recurrence-engine (pipeline load)',
        'peak RSS MiB': peakRssMiB(stack.engines[0]!.app.pid()),
      },
    ];
    return { rows, memory };
  } finally {
    await stack.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { rows, memory } = await pipelineBench();
  process.stdout.write(`${markdownTable(rows)}\n\n${markdownTable(memory)}\n`);
  process.exit(0);
}
