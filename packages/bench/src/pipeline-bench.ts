/**
 * Pipeline benchmark on the real stack (daprd sidecars, Kafka, PostgreSQL): completions of
 * recurring tasks in two runs. A paced run offers a fixed rate below capacity, as users would,
 * and measures end-to-end latency; a burst at fixed concurrency finds the throughput sustained
 * until every child exists (its latency includes the queue the burst builds). Latency and outbox
 * publish lag come from database timestamps, and each paced run's per-stage timings from commit
 * timestamps (stage-timings.ts), and each process's CPU over it (stack-cpu.ts); peak memory per
 * service.
 */
import { fileURLToPath } from 'node:url';
import { TASK_EVENT_TYPES } from '@todo/contracts';
import { outbox, tasks } from '@todo/db';
import { runThenStop } from '@todo/local-stack';
import { eventually } from '@todo/service-runtime/testing';
import { signUp, startStack, type SignedUpUser, type Stack } from '@todo/stack-harness';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { markdownTable, peakRssMiB, percentile, serviceNodeArgs, type Row } from './measure.js';
import { bulkOverrides, deliveryMode } from './bulk-settings.js';
import { loadAverage } from './process-usage.js';
import { cpuWindow, stackProcesses } from './stack-cpu.js';
import { completePaced, createRecurring } from './recurring-load.js';
import { stageTimings } from './stage-timings.js';

const COMPLETIONS = Number(process.env.BENCH_COMPLETIONS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
// Offered rates (completions/s) of the paced runs, comma-separated; each must sit below capacity
// for its latency to mean anything.
const PACED_RATES = (process.env.BENCH_PACED_RATES ?? '50,100,200')
  .split(',')
  .filter(Boolean)
  .map(Number);
const PACED_COMPLETIONS = Number(process.env.BENCH_PACED_COMPLETIONS ?? 500);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 6);
// Stock daprd sends one bulk request at a time per replica, whatever its partitions (README,
// "Paced latency and daprd's bulk consumer"), so replicas bound how many batches are in flight.
const ENGINES = Number(process.env.BENCH_ENGINES ?? 1);

/** Completes the tasks with `concurrency` requests in flight at all times. */
async function completeBurst(
  user: SignedUpUser,
  ids: string[],
  concurrency: number,
): Promise<void> {
  let cursor = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (cursor < ids.length) await user.complete(ids[cursor++]!);
    }),
  );
}

/** Waits for every child, then reads latencies and publish lag from the database. */
async function measure(stack: Stack, ids: string[], completedInMs: number) {
  const { db } = stack.database;
  const children = await eventually(
    async () => {
      const rows = await db
        .select()
        .from(tasks)
        .where(and(inArray(tasks.parentTaskId, ids), isNotNull(tasks.parentTaskId)));
      return rows.length >= ids.length && rows;
    },
    { what: 'every child', timeoutMs: 300_000, intervalMs: 250 },
  );
  const parents = await db.select().from(tasks).where(inArray(tasks.id, ids));
  const completedAt = new Map(parents.map((p) => [p.id, p.completedAt!.getTime()]));
  const firstCompletion = Math.min(...completedAt.values());
  const lastChild = Math.max(...children.map((c) => c.createdAt.getTime()));
  const latencies = children.map((c) => c.createdAt.getTime() - completedAt.get(c.parentTaskId!)!);
  const idSet = new Set(ids);
  const lags = (await db.select().from(outbox).where(eq(outbox.type, TASK_EVENT_TYPES.completed)))
    .filter((r) => r.publishedAt && idSet.has(r.aggregateId))
    .map((r) => r.publishedAt!.getTime() - r.createdAt.getTime());
  return {
    'completions/s (API)': Math.round((ids.length / completedInMs) * 1000),
    'sustained until every child exists (/s)': Math.round(
      (ids.length / (lastChild - firstCompletion)) * 1000,
    ),
    'e2e p50 ms': percentile(latencies, 0.5),
    'e2e p95 ms': percentile(latencies, 0.95),
    'e2e p99 ms': percentile(latencies, 0.99),
    'e2e max ms': Math.max(...latencies),
    'publish lag p50 ms': percentile(lags, 0.5),
    'publish lag p99 ms': percentile(lags, 0.99),
  };
}

export interface PipelineBenchOptions {
  /** The paced runs' offered rates; BENCH_PACED_RATES's by default. */
  pacedRates?: number[];
  /** Send every span of the services and sidecars to this OTLP/HTTP collector. */
  tracing?: { otlpHttpAddress: string };
  /** Said in the memory rows, to tell runs of one report apart. */
  label?: string;
}

export async function pipelineBench(
  options: PipelineBenchOptions = {},
): Promise<{ rows: Row[]; stages: Row[]; cpu: Row[]; memory: Row[] }> {
  const stack = await startStack({
    engineReplicas: ENGINES,
    postgres: 'own',
    // Commit times for the per-stage timings.
    commitTimestamps: true,
    kafkaPartitions: PARTITIONS,
    audit: false,
    compiled: true,
    nodeArgs: serviceNodeArgs,
    ...bulkOverrides(),
    ...(options.tracing ? { tracing: options.tracing } : {}),
  });
  // A failed run still stops the stack; its error stays the one reported.
  return runThenStop(async () => {
    const user = await signUp(stack.api.app.url);
    const setup = `${PARTITIONS} partitions, ${ENGINES} engine${ENGINES === 1 ? '' : 's'}, ${deliveryMode()}`;
    const rows: Row[] = [];
    const stages: Row[] = [];
    const cpu: Row[] = [];
    const processes = stackProcesses(stack);

    // Not measured: JIT, pools, statement caches and the consumers' first fetches warm up.
    const warmUp = await createRecurring(user, 100, CONCURRENCY);
    await completePaced(user, warmUp, 50);
    await measure(stack, warmUp, 1);

    for (const rate of PACED_COMPLETIONS > 0 ? (options.pacedRates ?? PACED_RATES) : []) {
      const ids = await createRecurring(user, PACED_COMPLETIONS, CONCURRENCY);
      const window = cpuWindow(processes);
      const started = Date.now();
      await completePaced(user, ids, rate);
      const run = `paced: ${PACED_COMPLETIONS} completions at ${rate}/s, ${setup}`;
      rows.push({ run, ...(await measure(stack, ids, Date.now() - started)) });
      // From the first completion until every child was seen (measure polls every 250 ms).
      cpu.push(...window.stop(`${rate}/s`, ids.length));
      const load = loadAverage();
      for (const stage of await stageTimings(stack.database.client, `${rate}/s`, ids))
        stages.push({ ...stage, 'load avg (1 min)': load });
    }
    if (COMPLETIONS > 0) {
      const ids = await createRecurring(user, COMPLETIONS, CONCURRENCY);
      const started = Date.now();
      await completeBurst(user, ids, CONCURRENCY);
      rows.push({
        run: `burst: ${COMPLETIONS} completions at concurrency ${CONCURRENCY}, ${setup}`,
        ...(await measure(stack, ids, Date.now() - started)),
      });
    }
    const load = `pipeline load${options.label ? `, ${options.label}` : ''}`;
    const memory: Row[] = [
      { process: `task-api (${load})`, 'peak RSS MiB': peakRssMiB(stack.api.app.pid()) },
      {
        process: `recurrence-engine (${load})`,
        'peak RSS MiB': peakRssMiB(stack.engines[0]!.app.pid()),
      },
    ];
    return { rows, stages, cpu, memory };
  }, [() => stack.close()]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { rows, stages, cpu, memory } = await pipelineBench();
  process.stdout.write(
    [rows, stages, cpu, memory].map((table) => markdownTable(table)).join('\n\n') + '\n',
  );
  process.exit(0);
}
