/**
 * API benchmark: task-api (auth, validation, logging, mapping) against the bare baseline, at a
 * fixed concurrency, on a real PostgreSQL with 1,000 tasks for the measured user. Prints a table
 * and returns the rows; asserts nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon, { type Options, type Result } from 'autocannon';
import { eq } from 'drizzle-orm';
import { createDatabase, createMigratedDatabase, tasks } from '@todo/db';
import { serviceNode, serviceProcess } from '@todo/stack-harness';
import { freePort, startEmbeddedPostgres } from '@todo/embedded-postgres';
import { runThenStop, spawnGroup, stopChild, waitUntilReady } from '@todo/local-stack';
import {
  markdownTable,
  median,
  peakRssMiB,
  serviceNodeArgs,
  serviceNodeVersion,
  type Row,
} from './measure.js';
import { cpuSeconds } from './process-usage.js';
import { registerBenchUser } from './bench-user.js';
import { rssMiB } from './process-usage.js';

const DURATION = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
/**
 * The list and the baseline are measured in turns, this many of each, and their ratio is taken
 * per turn: the machine's speed drifts between one run and the next (one day's runs put the list
 * at 68-92% of the baseline measured after it), so a ratio of two windows far apart says as much
 * about the drift as about the list.
 */
const PAIRS = Number(process.env.BENCH_API_PAIRS ?? 3);
if (!Number.isInteger(PAIRS) || PAIRS < 1)
  throw new Error('BENCH_API_PAIRS: a whole number, 1 or more');
// BENCH_API_SCENARIOS=list,baseline: run only some scenarios (list, baseline, create, complete),
// e.g. to profile one of them alone.
const SCENARIOS: ReadonlySet<string> = new Set(
  (process.env.BENCH_API_SCENARIOS ?? 'list,baseline,create,complete').split(','),
);

export interface ApiBenchOptions {
  /** The scenarios to run; BENCH_API_SCENARIOS's by default. */
  scenarios?: ReadonlySet<string>;
  /** More environment for task-api (OTEL_* to trace it). */
  env?: Record<string, string>;
  /** Said in the memory row, to tell runs of one report apart. */
  label?: string;
}

/**
 * A measured run against the server whose process is `pid`. Its CPU per request is the steadier
 * figure on a shared machine: throughput also moves with what PostgreSQL and the load generator
 * get of the same cores.
 */
async function load(name: string, options: Options, pid: number | undefined): Promise<Row> {
  await warmUp(options);
  return rowOf(name, [await measureWindow(options, pid)]);
}

/** Two seconds, not measured: the JIT, the pools and the statement caches warm up. */
async function warmUp(options: Options): Promise<void> {
  await autocannon({ duration: 2, connections: CONNECTIONS, ...options });
}

/** One measured window of DURATION seconds, with the CPU its server (`pid`) spent in it. */
interface Window {
  result: Result;
  cpuSeconds: number | undefined;
}

async function measureWindow(options: Options, pid: number | undefined): Promise<Window> {
  const cpuBefore = pid ? cpuSeconds(pid) : 0;
  const result = await autocannon({ duration: DURATION, connections: CONNECTIONS, ...options });
  return { result, cpuSeconds: pid ? cpuSeconds(pid) - cpuBefore : undefined };
}

/**
 * A scenario's row over its windows: throughput and CPU per request over all of them; latency
 * percentiles are the median window's p50 and the worst window's p99 (autocannon's histograms
 * are not merged).
 */
function rowOf(name: string, windows: Window[]): Row {
  const total = windows.reduce((n, w) => n + w.result.requests.total, 0);
  const seconds = windows.reduce((n, w) => n + w.result.duration, 0);
  const cpu = windows.every((w) => w.cpuSeconds !== undefined)
    ? windows.reduce((n, w) => n + w.cpuSeconds!, 0)
    : undefined;
  return {
    scenario: name,
    'req/s': Math.round(total / seconds),
    'p50 ms': median(windows.map((w) => w.result.latency.p50)),
    'p99 ms': Math.max(...windows.map((w) => w.result.latency.p99)),
    'non-2xx': windows.reduce((n, w) => n + w.result.non2xx, 0),
    errors: windows.reduce((n, w) => n + w.result.errors + w.result.timeouts, 0),
    'server CPU ms/req': cpu === undefined ? undefined : Number(((cpu * 1000) / total).toFixed(3)),
  };
}

const perSecond = (w: Window) => w.result.requests.total / w.result.duration;
const cpuPerRequest = (w: Window) => w.cpuSeconds! / w.result.requests.total;

export async function apiBench(
  options: ApiBenchOptions = {},
): Promise<{ rows: Row[]; memory: Row[] }> {
  const scenarios = options.scenarios ?? SCENARIOS;
  const dir = await mkdtemp(join(tmpdir(), 'todo-bench-api-'));
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), persistent: false });
  // What has been started so far, stopped (last first) whatever happens.
  // The server removes only its data: its directory goes after it.
  const started: (() => Promise<unknown>)[] = [
    () => rm(dir, { recursive: true, force: true }),
    () => pg.stop(),
  ];
  return runThenStop(async () => {
    const url = await createMigratedDatabase(pg.url, 'bench');

    const logs: string[] = [];
    const api = serviceProcess({
      name: 'task-api',
      serviceDir: 'task-api',
      port: await freePort(),
      logs,
      compiled: true,
      env: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        DATABASE_URL: url,
        JWT_SECRET: 'bench-only-secret-that-is-long-enough-0123456789',
        AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
        WRITE_RATE_LIMIT_PER_MINUTE: '1000000',
        PREVIEW_RATE_LIMIT_PER_MINUTE: '1000000',
        EVENT_TRANSPORT: 'off',
        DATABASE_POOL_MAX: process.env.BENCH_POOL_MAX ?? '10',
        ...options.env,
      },
      nodeArgs: serviceNodeArgs('task-api'),
    });
    started.push(() => api.stop());
    await api.start();
    // Idle: ready, nothing asked of it yet, start-up work given 3 s to settle.
    await delay(3000);
    const idleRss = Math.round(rssMiB(api.pid()!));
    const baselinePort = await freePort();
    const baseline = spawnGroup(
      // On the services' Node (STACK_SERVICE_NODE), so the ratio compares code, not runtimes.
      serviceNode(),
      ['--import', 'tsx', fileURLToPath(new URL('./baseline-server.ts', import.meta.url))],
      {
        env: { ...process.env, DATABASE_URL: url, PORT: String(baselinePort) },
        stdio: 'ignore',
      },
    );
    started.push(() => stopChild(baseline));
    // The port was only free when chosen: what answers there must be the baseline started here.
    await waitUntilReady(
      'baseline',
      baseline,
      () =>
        fetch(
          `http://127.0.0.1:${baselinePort}/tasks?user=00000000-0000-0000-0000-000000000000`,
        ).then((r) => r.ok),
      60_000,
      { port: baselinePort },
    );

    const register = (email: string) => registerBenchUser(api.url, email);
    const reader = await register('reader@example.com');
    const writer = await register('writer@example.com');
    const auth = {
      authorization: `Bearer ${reader.access_token}`,
      'content-type': 'application/json',
    };
    const writerAuth = {
      authorization: `Bearer ${writer.access_token}`,
      'content-type': 'application/json',
    };
    const userId = reader.user.id;

    // The reader has 1,000 tasks to list; the writer has enough open tasks that every completion
    // is a real state change (with its outbox event).
    const seed = createDatabase(url, { max: 2 });
    const toComplete = 40_000;
    const rows = Array.from({ length: 1000 + toComplete }, (_, i) => ({
      userId: i < 1000 ? userId : writer.user.id,
      title: `Task ${i}`,
      description: i % 3 ? `details ${i}` : null,
      priority: (['low', 'medium', 'high'] as const)[i % 3],
      tags: i % 2 ? ['home'] : ['work'],
      dueAt: new Date(Date.UTC(2030, 0, 1) + i * 3_600_000),
      createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000),
    }));
    for (let i = 0; i < rows.length; i += 5000)
      await seed.db.insert(tasks).values(rows.slice(i, i + 5000));
    const ids = (
      await seed.db.select({ id: tasks.id }).from(tasks).where(eq(tasks.userId, writer.user.id))
    ).map((r) => r.id);
    await seed.close();

    const results: Row[] = [];
    const listName = 'GET /api/tasks (page of 50 of 1,000+), task-api';
    const listLoad: Options = { url: `${api.url}/api/tasks?limit=50`, headers: auth };
    const bareName = 'same query, bare Express + postgres.js';
    const bareLoad: Options = { url: `http://127.0.0.1:${baselinePort}/tasks?user=${userId}` };
    if (scenarios.has('list') && scenarios.has('baseline')) {
      await warmUp(listLoad);
      await warmUp(bareLoad);
      const listWindows: Window[] = [];
      const bareWindows: Window[] = [];
      for (let pair = 0; pair < PAIRS; pair += 1) {
        // Which goes first alternates too, so a drift within a pair does not favour one side.
        const listFirst = pair % 2 === 0;
        if (!listFirst) bareWindows.push(await measureWindow(bareLoad, baseline.pid));
        listWindows.push(await measureWindow(listLoad, api.pid()));
        if (listFirst) bareWindows.push(await measureWindow(bareLoad, baseline.pid));
      }
      const list = rowOf(listName, listWindows);
      const pct = (values: number[]) => values.map((v) => `${Math.round(v * 100)}%`).join(', ');
      const ratios = listWindows.map((w, i) => perSecond(w) / perSecond(bareWindows[i]!));
      const cpuRatios = listWindows.map(
        (w, i) => cpuPerRequest(bareWindows[i]!) / cpuPerRequest(w),
      );
      const pct1 = (value: number) => `${(value * 100).toFixed(1)}%`;
      list['vs baseline'] =
        `${pct1(median(ratios))} of baseline throughput ` +
        `(median of ${PAIRS} alternated pairs: ${pct(ratios)}); ` +
        `${pct1(median(cpuRatios))} of its requests per CPU second (${pct(cpuRatios)})`;
      results.push(list, rowOf(bareName, bareWindows));
    } else if (scenarios.has('list')) {
      results.push(await load(listName, listLoad, api.pid()));
    } else if (scenarios.has('baseline')) {
      results.push(await load(bareName, bareLoad, baseline.pid));
    }
    if (scenarios.has('create'))
      results.push(
        await load(
          'POST /api/tasks',
          {
            url: `${api.url}/api/tasks`,
            method: 'POST',
            headers: writerAuth,
            body: JSON.stringify({
              title: 'Benchmark task',
              priority: 'high',
              tags: ['bench'],
              due_date: '2030-01-01T09:00:00Z',
              recurring_type: 'weekly',
            }),
          },
          api.pid(),
        ),
      );
    let next = 0;
    if (scenarios.has('complete'))
      results.push(
        await load(
          'POST /api/tasks/{id}/complete',
          {
            url: api.url,
            headers: writerAuth,
            requests: [
              {
                method: 'POST',
                setupRequest: (req) => ({
                  ...req,
                  path: `/api/tasks/${ids[next++ % ids.length]}/complete`,
                }),
              },
            ],
          },
          api.pid(),
        ),
      );
    const memory: Row[] = [
      {
        process: `task-api (API load${options.label ? `, ${options.label}` : ''})`,
        'idle RSS MiB': idleRss,
        'peak RSS MiB': peakRssMiB(api.pid()),
      },
    ];
    return { rows: results, memory };
  }, started);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { rows, memory } = await apiBench();
  process.stdout.write(
    `services on Node ${serviceNodeVersion()}\n\n${markdownTable(rows)}\n\n${markdownTable(memory)}\n`,
  );
  process.exit(0);
}
