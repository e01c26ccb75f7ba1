/**
 * Drain benchmark (issue 15): BENCH_DRAIN_EVENTS (20,000) completions wait in Kafka, produced
 * with no engine running; then 1 (and 2, BENCH_DRAIN_REPLICAS) engine replicas start, each with
 * its own daprd in the one consumer group, and the time to commit every child is the drain rate.
 * The children are reconciled as the fault suite does (lost = duplicated = 0), and each process's
 * CPU seconds and peak RSS over the drain show which one saturates a core.
 */
import { fileURLToPath } from 'node:url';
import { runThenStop } from '@todo/local-stack';
import { eventually } from '@todo/service-runtime/testing';
import {
  formatTable,
  reconcile,
  signUp,
  startStack,
  type AppWithSidecar,
  type Reconciliation,
  type Stack,
} from '@todo/stack-harness';
import {
  completeAll,
  completeInDatabase,
  seedRecurring,
  waitAllPublished,
} from './drain-backlog.js';
import { markdownTable, peakRssMiB, serviceNodeArgs, type Row } from './measure.js';
import { treeCpuSeconds } from './process-tree.js';
import { loadAverage } from './process-usage.js';
import { bulkOverrides, deliveryMode } from './bulk-settings.js';
import { engineProcesses, stackProcesses } from './stack-cpu.js';

const EVENTS = Number(process.env.BENCH_DRAIN_EVENTS ?? 20_000);
const REPLICAS = (process.env.BENCH_DRAIN_REPLICAS ?? '1,2').split(',').filter(Boolean).map(Number);
// Completions in flight while the backlog is produced (not measured: the engine is stopped).
const CONCURRENCY = Number(process.env.BENCH_DRAIN_CONCURRENCY ?? 32);
// `sql` (default): the completions written as task-api writes them, in one statement; `api`:
// through task-api's HTTP API (minutes for 20,000 on a loaded machine). Either way task-api's
// relay publishes them through its daprd to Kafka.
const BACKLOG = process.env.BENCH_DRAIN_BACKLOG === 'api' ? 'api' : 'sql';
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 6);
const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** Starts `count` engine replicas at once: stopped ones again first, then new ones. */
async function startEngines(stack: Stack, count: number): Promise<AppWithSidecar[]> {
  const restarted = stack.engines.slice(0, count);
  const added = Math.max(0, count - restarted.length);
  const started = await Promise.all([
    ...restarted.map(async (engine) => {
      await engine.start();
      return engine;
    }),
    ...Array.from({ length: added }, () => stack.startEngine()),
  ]);
  return started;
}

interface DrainResult {
  row: Row;
  processes: Row[];
  reconciliation: Reconciliation;
}

async function drain(stack: Stack, replicas: number, delivery: string): Promise<DrainResult> {
  await Promise.all(stack.engines.filter((e) => e.app.running()).map((e) => e.stop()));
  const user = await signUp(stack.api.app.url);
  const backlog = await seedRecurring(stack, user, EVENTS);
  const { userId, templateId, ids } = backlog;
  const producing = performance.now();
  const attempts =
    BACKLOG === 'api'
      ? await completeAll(user, ids, CONCURRENCY)
      : await completeInDatabase(stack, backlog);
  const completedS = (performance.now() - producing) / 1000;
  await waitAllPublished(stack, 600_000);
  const publishedS = (performance.now() - producing) / 1000;
  const acknowledged = attempts.filter((a) => a.acknowledged).length;

  const fixed = stackProcesses(stack, []);
  const cpuBefore = fixed.map((p) => treeCpuSeconds(p.pid));
  const loadBefore = loadAverage();
  const startedAt = Date.now();
  const engines = await startEngines(stack, replicas);
  const readyS = (Date.now() - startedAt) / 1000;
  const countChildren = async () => {
    const [row] = await stack.database.client<[{ n: number }]>`
      SELECT count(*)::int AS n FROM tasks
       WHERE user_id = ${userId} AND parent_task_id IS NOT NULL AND parent_task_id <> ${templateId}`;
    return row!.n;
  };
  await eventually(async () => (await countChildren()) >= acknowledged, {
    what: `${acknowledged} children`,
    timeoutMs: 900_000,
    intervalMs: 200,
  });
  const drainS = (Date.now() - startedAt) / 1000;
  const enginePids = engineProcesses(engines);
  const processes: Row[] = [
    ...fixed.map((p, i) => ({ ...p, cpu: treeCpuSeconds(p.pid) - cpuBefore[i]! })),
    // Started for the drain: all their CPU, their boot included.
    ...enginePids.map((p) => ({ ...p, cpu: treeCpuSeconds(p.pid) })),
  ].map(({ process: name, pid, cpu }) => ({
    run: `${replicas} engine${replicas > 1 ? 's' : ''}`,
    process: name,
    'CPU s': round(cpu),
    'cores busy (CPU s / drain s)': round(cpu / drainS, 2),
    // What each child cost, whatever share of the machine the run got.
    'CPU ms per child': round((cpu / acknowledged) * 1000, 2),
    'peak RSS MiB': name.startsWith('postgresql') ? undefined : peakRssMiB(pid),
  }));

  const [span] = await stack.database.client<[{ first: number; last: number }]>`
    SELECT min(c)::float8 AS first, max(c)::float8 AS last FROM (
      SELECT extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000 AS c
        FROM tasks
       WHERE user_id = ${userId} AND parent_task_id IS NOT NULL AND parent_task_id <> ${templateId}
    ) commits`;
  const firstToLastS = (span!.last - span!.first) / 1000;
  const reconciliation = await reconcile(
    `drain, ${replicas} engine${replicas > 1 ? 's' : ''}`,
    stack.database,
    attempts,
    ids,
  );
  const row: Row = {
    run: `${EVENTS} completions waiting, ${replicas} engine${replicas > 1 ? 's' : ''}, ${PARTITIONS} partitions`,
    delivery,
    'backlog written': BACKLOG === 'api' ? `API, ${Math.round(EVENTS / completedS)}/s` : 'SQL',
    'backlog published s': round(publishedS),
    'engines ready s': round(readyS),
    'first child after start s': round((span!.first - startedAt) / 1000),
    'drain /s (first → last child)': Math.round(acknowledged / firstToLastS),
    'drain /s (start → last child)': Math.round(acknowledged / ((span!.last - startedAt) / 1000)),
    lost: reconciliation.lost,
    duplicated: reconciliation.duplicated,
    'load avg (before → after)': `${loadBefore} → ${loadAverage()}`,
  };
  return { row, processes, reconciliation };
}

export async function drainBench(): Promise<{
  rows: Row[];
  processes: Row[];
  reconciliations: Reconciliation[];
}> {
  const stack = await startStack({
    engineReplicas: 0,
    postgres: 'own',
    commitTimestamps: true,
    kafkaPartitions: PARTITIONS,
    audit: false,
    compiled: true,
    nodeArgs: serviceNodeArgs,
    ...bulkOverrides(),
  });
  return runThenStop(async () => {
    const delivery = deliveryMode();
    const results: DrainResult[] = [];
    for (const replicas of REPLICAS) results.push(await drain(stack, replicas, delivery));
    return {
      rows: results.map((r) => r.row),
      processes: results.flatMap((r) => r.processes),
      reconciliations: results.map((r) => r.reconciliation),
    };
  }, [() => stack.close()]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { rows, processes, reconciliations } = await drainBench();
  process.stdout.write(
    `${markdownTable(rows)}\n\n${markdownTable(processes)}\n\n${formatTable(reconciliations)}\n`,
  );
  process.exit(0);
}
