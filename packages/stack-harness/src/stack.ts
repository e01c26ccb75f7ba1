import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_IDS } from '@todo/contracts';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { freePort } from '@todo/embedded-postgres';
import {
  DAPR_CONFIG_FILE,
  ensureDaprd,
  renderDaprResources,
  renderDaprTracingConfig,
  startKafka,
  startSidecar,
  stopAll,
  type RunningKafka,
  type RunningSidecar,
} from '@todo/local-stack';
import { AUDIT_APP_ID, startAuditApp, type AuditApp } from './audit-app.js';
import { overrideBulkSubscribe, type BulkSubscribeSettings } from './bulk-subscribe.js';
import { ownDatabase } from './own-database.js';
import { APP_TOKEN, serviceEnv, TASK_API_ENV } from './service-env.js';
import { serviceProcess, type ServiceProcess } from './service-process.js';

export interface StackOptions {
  /** Engines started with the stack (0 is allowed: `startEngine` adds replicas later). */
  engineReplicas: number;
  /** `own`: a PostgreSQL server for this stack alone, which tests may restart. */
  postgres?: 'shared' | 'own';
  /** With `postgres: 'own'`: `track_commit_timestamp` on, for `pg_xact_commit_timestamp`. */
  commitTimestamps?: boolean;
  /** New numbers for the engine subscription's `bulkSubscribe` block (which must exist). */
  bulkSubscribe?: BulkSubscribeSettings;
  /** Extra environment for task-api (e.g. fault-injection seams). */
  taskApiEnv?: Record<string, string>;
  /** Partitions of auto-created topics (Dapr delivers each partition in order, one at a time). */
  kafkaPartitions?: number;
  /**
   * The second subscriber app (every event it sees is recorded for reconciliation). Default on;
   * benchmarks turn it off so its sidecar does not compete with the system under test.
   */
  audit?: boolean;
  /** Extra Node.js flags for each service (e.g. `--cpu-prof`, its heap ceiling). */
  nodeArgs?: (service: 'task-api' | 'recurrence-engine') => string[];
  /** Run the services' compiled `dist/` (see serviceProcess). */
  compiled?: boolean;
  /**
   * Send traces over OTLP/HTTP to this `host:port` (a Jaeger the caller runs): the services'
   * OTEL_* variables and every sidecar's Dapr Configuration name it; every trace is sampled.
   */
  tracing?: { otlpHttpAddress: string };
}

export interface AppWithSidecar {
  app: ServiceProcess;
  sidecar: RunningSidecar;
  /** Stops the app and its sidecar, as when a pod goes away. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
}

export interface Stack {
  database: TestDatabase;
  kafka: RunningKafka;
  api: AppWithSidecar;
  /** The engine replicas, in start order, including those `startEngine` added. */
  engines: AppWithSidecar[];
  /**
   * Starts one more engine replica with its own sidecar (same app id, so the same consumer
   * group); `close()` stops it with the rest.
   */
  startEngine(): Promise<AppWithSidecar>;
  /** Undefined when started with `audit: false`. */
  audit: AuditApp | undefined;
  auditSidecar: RunningSidecar | undefined;
  logs: string[];
  logFile: string;
  /** Only with `postgres: 'own'`. */
  restartPostgres?: (downMs: number) => Promise<void>;
  /** Only with `postgres: 'own'`: the postmaster's pid (its backends are its children). */
  postgresPid?: () => number;
  close(): Promise<void>;
}

/**
 * The real system on loopback: PostgreSQL, a Kafka broker, task-api and `engineReplicas`
 * recurrence engines each with its own daprd sidecar, and a second subscriber app.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const logs: string[] = [];
  // Everything started so far, stopped in reverse if a later part fails to start.
  const started: Array<() => Promise<unknown>> = [];
  try {
    return await startParts(options, logs, started);
  } catch (error) {
    // The start error stays the one thrown; a failure to stop is reported with it, since it may
    // leave processes running into the next test.
    const stopFailure = await stopAll(started.reverse()).then(
      () => undefined,
      (stopError: unknown) => stopError,
    );
    if (stopFailure) logs.push(`stopping what had started failed: ${String(stopFailure)}`);
    const logFile = join(tmpdir(), `todo-e2e-failed-start-${Date.now()}.log`);
    const logWritten = await writeFile(logFile, logs.join('\n')).then(
      () => `its log: ${logFile}`,
      (writeError: unknown) => `its log could not be written (${String(writeError)})`,
    );
    const alsoStop = stopFailure
      ? `; stopping what had started failed too: ${String(stopFailure)}`
      : '';
    throw new Error(`the e2e stack did not start (${String(error)})${alsoStop}; ${logWritten}`, {
      cause: error,
    });
  }
}

async function startParts(
  options: StackOptions,
  logs: string[],
  started: Array<() => Promise<unknown>>,
): Promise<Stack> {
  const log = (line: string) => logs.push(line);
  // Kafka's and PostgreSQL's data (hundreds of MiB after a benchmark): removed on close, and
  // last when a failed start stops what it started (so first in the list it reverses).
  const dir = await mkdtemp(join(tmpdir(), 'todo-e2e-'));
  started.push(() => rm(dir, { recursive: true, force: true }));
  const daprd = await ensureDaprd((line) => process.stderr.write(`${line}\n`));
  if (options.commitTimestamps && options.postgres !== 'own')
    throw new Error("commitTimestamps needs postgres: 'own' (a server restarted with the setting)");
  const own =
    options.postgres === 'own'
      ? await ownDatabase(dir, started, { commitTimestamps: options.commitTimestamps ?? false })
      : undefined;
  const database = own?.database ?? (await createTestDatabase());
  if (!own) started.push(() => database.drop());
  const kafka = await startKafka({
    dir: join(dir, 'kafka'),
    log: (l) => log(`[kafka] ${l}`),
    ...(options.kafkaPartitions ? { partitions: options.kafkaPartitions } : {}),
  });
  started.push(() => kafka.stop());
  const audit = options.audit === false ? undefined : await startAuditApp();
  if (audit) started.push(() => audit.close());
  const configFile = options.tracing
    ? await renderDaprTracingConfig(join(dir, 'dapr-config.yaml'), options.tracing.otlpHttpAddress)
    : DAPR_CONFIG_FILE;
  const tracingEnv: Record<string, string> = options.tracing
    ? {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://${options.tracing.otlpHttpAddress}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        // Spans reach the collector within a fraction of a second, not the default 5 s.
        OTEL_BSP_SCHEDULE_DELAY: '100',
      }
    : {};
  const resourcesDir = await renderDaprResources(
    join(dir, 'resources'),
    audit ? { extraScopes: [AUDIT_APP_ID], extraResources: audit.subscriptions } : {},
  );
  if (options.bulkSubscribe) await overrideBulkSubscribe(resourcesDir, options.bulkSubscribe);

  // `onStart` keeps each started part's stop: the start's list, or a later engine's own.
  const withSidecar = async (
    appId: string,
    serviceDir: 'task-api' | 'recurrence-engine',
    env: Record<string, string>,
    onStart: Array<() => Promise<unknown>> = started,
  ): Promise<AppWithSidecar> => {
    const [appPort, sidecarHttpPort, metricsPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
    ]);
    const app = serviceProcess({
      name: `${appId}:${appPort}`,
      serviceDir,
      port: appPort,
      metricsPort,
      logs,
      ...(options.nodeArgs ? { nodeArgs: options.nodeArgs(serviceDir) } : {}),
      ...(options.compiled ? { compiled: true } : {}),
      env: {
        ...serviceEnv(database.url),
        EVENT_TRANSPORT: 'dapr',
        DAPR_HTTP_PORT: String(sidecarHttpPort),
        OUTBOX_POLL_INTERVAL_MS: '500',
        OUTBOX_MAX_RETRY_DELAY_MS: '2000',
        ...tracingEnv,
        ...env,
      },
    });
    await app.start();
    onStart.push(() => app.stop());
    const sidecarOptions = {
      daprd,
      appId,
      appPort,
      httpPort: sidecarHttpPort,
      kafkaBrokers: kafka.brokers,
      resourcesDir,
      configFile,
      appApiToken: APP_TOKEN,
      log: (l: string) => log(`[daprd ${appId}:${appPort}] ${l}`),
    };
    const sidecar = await startSidecar(sidecarOptions);
    onStart.push(() => sidecar.stop());
    return {
      app,
      sidecar,
      async stop(signal) {
        await stopAll([() => app.stop(signal), () => sidecar.stop(signal)]);
      },
      async start() {
        await app.start();
        await sidecar.restart();
      },
    };
  };

  const api = await withSidecar(APP_IDS.taskApi, 'task-api', {
    ...TASK_API_ENV,
    ...options.taskApiEnv,
  });
  const engineEnv = { APP_API_TOKEN: APP_TOKEN };
  const engines: AppWithSidecar[] = [];
  for (let i = 0; i < options.engineReplicas; i += 1) {
    engines.push(await withSidecar(APP_IDS.recurrenceEngine, 'recurrence-engine', engineEnv));
  }
  const startEngine = async (): Promise<AppWithSidecar> => {
    // Its app and sidecar only: if the sidecar fails, the app it started is stopped here.
    const parts: Array<() => Promise<unknown>> = [];
    try {
      const engine = await withSidecar(
        APP_IDS.recurrenceEngine,
        'recurrence-engine',
        engineEnv,
        parts,
      );
      engines.push(engine);
      return engine;
    } catch (error) {
      await stopAll(parts.reverse());
      throw error;
    }
  };
  const auditSidecar = audit
    ? await startSidecar({
        daprd,
        appId: AUDIT_APP_ID,
        appPort: audit.port,
        kafkaBrokers: kafka.brokers,
        resourcesDir,
        configFile,
        appApiToken: APP_TOKEN,
        log: (l) => log(`[daprd ${AUDIT_APP_ID}] ${l}`),
      })
    : undefined;
  if (auditSidecar) started.push(() => auditSidecar.stop());
  // Beside the data directory, not in it: suites print its path for reading after the run.
  const logFile = `${dir}.log`;

  return {
    database,
    kafka,
    api,
    engines,
    startEngine,
    audit,
    auditSidecar,
    logs,
    logFile,
    ...(own ? { restartPostgres: own.restart, postgresPid: own.pid } : {}),
    async close() {
      // Every part is stopped even when stopping another failed; the failures are then the error.
      await stopAll([
        () => writeFile(logFile, logs.join('\n')),
        // The apps and their sidecars at once, as pods go away; each one awaited.
        async () => {
          const results = await Promise.allSettled([
            api.stop(),
            ...engines.map((engine) => engine.stop()),
            auditSidecar?.stop(),
          ]);
          await stopAll(
            results.map((result) => async () => {
              if (result.status === 'rejected') throw result.reason;
            }),
          );
        },
        () => kafka.stop(),
        async () => audit?.close(),
        () => database.drop(),
        () => rm(dir, { recursive: true, force: true }),
      ]);
    },
  };
}
