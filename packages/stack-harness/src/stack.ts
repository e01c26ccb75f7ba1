import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_IDS } from '@todo/contracts';
import { createDatabase, createMigratedDatabase } from '@todo/db';
import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { freePort, startEmbeddedPostgres, type RunningPostgres } from '@todo/embedded-postgres';
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
import { APP_TOKEN, serviceEnv, TASK_API_ENV } from './service-env.js';
import { serviceProcess, type ServiceProcess } from './service-process.js';

export interface StackOptions {
  engineReplicas: number;
  /** `own`: a PostgreSQL server for this stack alone, which tests may restart. */
  postgres?: 'shared' | 'own';
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

/**
 * A PostgreSQL server of the stack's own, restartable on the same port and data. Its stop is in
 * `started` from the moment it runs, so a failure while preparing it stops it too.
 */
async function ownDatabase(
  dir: string,
  started: Array<() => Promise<unknown>>,
): Promise<{ database: TestDatabase; restart: (downMs: number) => Promise<void> }> {
  const dataDir = join(dir, 'postgres');
  let server: RunningPostgres = await startEmbeddedPostgres({ dataDir, persistent: true });
  started.push(() => server.stop());
  const port = server.port;
  const url = await createMigratedDatabase(server.url, 'todo');
  const connection = createDatabase(url, { max: 5, applicationName: 'todo-e2e' });
  started.push(() => connection.close());
  const database: TestDatabase = {
    ...connection,
    url,
    name: 'todo',
    drop: async () => {
      await connection.close();
      await server.stop();
    },
  };
  return {
    database,
    async restart(downMs: number) {
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      server = await startEmbeddedPostgres({ dataDir, persistent: true, port });
    },
  };
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
  engines: AppWithSidecar[];
  /** Undefined when started with `audit: false`. */
  audit: AuditApp | undefined;
  auditSidecar: RunningSidecar | undefined;
  logs: string[];
  logFile: string;
  /** Only with `postgres: 'own'`. */
  restartPostgres?: (downMs: number) => Promise<void>;
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
  const dir = await mkdtemp(join(tmpdir(), 'todo-e2e-'));
  const daprd = await ensureDaprd((line) => process.stderr.write(`${line}\n`));
  const own = options.postgres === 'own' ? await ownDatabase(dir, started) : undefined;
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

  const withSidecar = async (
    appId: string,
    serviceDir: 'task-api' | 'recurrence-engine',
    env: Record<string, string>,
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
    started.push(() => app.stop());
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
    started.push(() => sidecar.stop());
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
  const engines: AppWithSidecar[] = [];
  for (let i = 0; i < options.engineReplicas; i += 1) {
    engines.push(
      await withSidecar(APP_IDS.recurrenceEngine, 'recurrence-engine', {
        APP_API_TOKEN: APP_TOKEN,
      }),
    );
  }
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
  const logFile = join(dir, 'stack.log');

  return {
    database,
    kafka,
    api,
    engines,
    audit,
    auditSidecar,
    logs,
    logFile,
    ...(own ? { restartPostgres: own.restart } : {}),
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
      ]);
    },
  };
}
