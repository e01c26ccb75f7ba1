/**
 * `pnpm dev:dapr`: the system with the real event pipeline and no Dapr CLI: PostgreSQL (embedded
 * unless DATABASE_URL is set), Kafka (KAFKA_BROKERS, or a local KRaft broker), one daprd sidecar
 * per service, and both services in watch mode publishing through their sidecars; and, when
 * Debian's prometheus is installed (or PROMETHEUS names one; DEV_PROMETHEUS=off skips it), a
 * Prometheus scraping both services and both sidecars, its UI on PROMETHEUS_PORT (9091); and a
 * Jaeger every span goes to, when one is built (dev-jaeger.ts).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_IDS } from '@todo/contracts';
import { assertPortsFree } from './child-process.js';
import { startDevDatabase } from './database.js';
import {
  DAPR_CONFIG_FILE,
  renderDaprResources,
  renderDaprTracingConfig,
} from './dapr-resources.js';
import { startSidecar, type RunningSidecar } from './daprd.js';
import { devSecret } from './dev-secrets.js';
import { startKafka, type RunningKafka } from './kafka.js';
import { REPO_ROOT } from './paths.js';
import { startDevJaeger } from './dev-jaeger.js';
import { startDevPrometheus } from './dev-prometheus.js';
import { startService, superviseUntilStopped } from './processes.js';
import { ensureDaprd } from './tools.js';

const log = (line: string) => process.stdout.write(`[dev:dapr] ${line}\n`);
const TASK_API_PORT = Number(process.env.TASK_API_PORT ?? 8080);
const ENGINE_PORT = Number(process.env.RECURRENCE_ENGINE_PORT ?? 8081);
const TASK_API_SIDECAR_PORT = 3500;
const ENGINE_SIDECAR_PORT = 3501;
// The services' default metrics ports (their env.ts), so a local Prometheus finds them.
const TASK_API_METRICS_PORT = 9464;
const ENGINE_METRICS_PORT = 9465;

async function main() {
  // Fixed ports: one held by an earlier run would answer for the processes started now.
  await assertPortsFree({
    'task-api': TASK_API_PORT,
    'recurrence-engine': ENGINE_PORT,
    'task-api sidecar': TASK_API_SIDECAR_PORT,
    'recurrence-engine sidecar': ENGINE_SIDECAR_PORT,
    'task-api metrics': TASK_API_METRICS_PORT,
    'recurrence-engine metrics': ENGINE_METRICS_PORT,
  });
  const daprd = await ensureDaprd(log);
  log(`daprd: ${daprd}`);
  const database = await startDevDatabase(log);
  const runDir = await mkdtemp(join(tmpdir(), 'todo-dev-dapr-'));
  let kafka: RunningKafka | undefined;
  let brokers = process.env.KAFKA_BROKERS;
  if (brokers) {
    log(`using KAFKA_BROKERS=${brokers}`);
  } else {
    log('KAFKA_BROKERS is not set: starting a local Kafka broker (KRaft, data discarded on exit)');
    kafka = await startKafka({ dir: join(runDir, 'kafka'), log: (line) => log(line) });
    brokers = kafka.brokers;
  }
  const resourcesDir = await renderDaprResources(join(runDir, 'resources'));
  // With a Jaeger, the services (OTEL_*) and both sidecars (their Configuration) send it every span.
  const jaeger = await startDevJaeger(log);
  const configFile = jaeger
    ? await renderDaprTracingConfig(join(runDir, 'dapr-config.yaml'), jaeger.otlpHttpAddress)
    : DAPR_CONFIG_FILE;
  const tracingEnv: Record<string, string> = jaeger
    ? {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://${jaeger.otlpHttpAddress}`,
        OTEL_BSP_SCHEDULE_DELAY: '200',
      }
    : {};
  const appToken = process.env.APP_API_TOKEN ?? devSecret('app-api-token');
  const common = {
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    EVENT_TRANSPORT: 'dapr',
    ...tracingEnv,
  };

  const services = [
    startService(
      {
        name: 'task-api',
        filter: '@todo/task-api',
        env: {
          ...common,
          LOG_LEVEL: process.env.LOG_LEVEL ?? 'http',
          PORT: String(TASK_API_PORT),
          METRICS_PORT: String(TASK_API_METRICS_PORT),
          DAPR_HTTP_PORT: String(TASK_API_SIDECAR_PORT),
          JWT_SECRET: process.env.JWT_SECRET ?? devSecret('jwt'),
          CORS_ORIGINS: process.env.CORS_ORIGINS ?? 'http://localhost:3000,http://localhost:5173',
        },
      },
      REPO_ROOT,
    ),
    startService(
      {
        name: 'recurrence-engine',
        filter: '@todo/recurrence-engine',
        env: {
          ...common,
          LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
          PORT: String(ENGINE_PORT),
          METRICS_PORT: String(ENGINE_METRICS_PORT),
          DAPR_HTTP_PORT: String(ENGINE_SIDECAR_PORT),
          APP_API_TOKEN: appToken,
        },
      },
      REPO_ROOT,
    ),
  ];
  const sidecarLog = (appId: string) => (line: string) => {
    if (/level=(error|fatal)/.test(line)) process.stdout.write(`[daprd ${appId}] ${line}\n`);
  };
  const sidecars: RunningSidecar[] = [];
  for (const [appId, appPort, httpPort] of [
    [APP_IDS.taskApi, TASK_API_PORT, TASK_API_SIDECAR_PORT],
    [APP_IDS.recurrenceEngine, ENGINE_PORT, ENGINE_SIDECAR_PORT],
  ] as const) {
    sidecars.push(
      await startSidecar({
        daprd,
        appId,
        appPort,
        httpPort,
        kafkaBrokers: brokers!,
        resourcesDir,
        configFile,
        appApiToken: appToken,
        log: sidecarLog(appId),
      }),
    );
    log(`sidecar for ${appId} on http://127.0.0.1:${httpPort}`);
  }
  log(
    `task-api: http://127.0.0.1:${TASK_API_PORT} (docs at /docs); events go through Dapr and Kafka (${brokers})`,
  );
  const prometheus = await startDevPrometheus({
    dir: join(runDir, 'prometheus'),
    log,
    targets: sidecars.flatMap((sidecar) => {
      const labels = { service: sidecar.appId };
      const metricsPort =
        sidecar.appId === APP_IDS.taskApi ? TASK_API_METRICS_PORT : ENGINE_METRICS_PORT;
      return [
        { job: 'todo-services' as const, port: metricsPort, labels },
        { job: 'daprd' as const, port: sidecar.metricsPort(), labels },
      ];
    }),
  });
  log('press Ctrl-C to stop');

  superviseUntilStopped(services, log, async () => {
    await prometheus?.stop();
    await jaeger?.stop();
    await Promise.all(sidecars.map((sidecar) => sidecar.stop()));
    await kafka?.stop();
    await database.stop();
  });
}

main().catch((error: unknown) => {
  log(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
