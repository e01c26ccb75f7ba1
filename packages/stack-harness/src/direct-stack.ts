import { createTestDatabase, type TestDatabase } from '@todo/db/testing';
import { freePort } from '@todo/embedded-postgres';
import { stopAll } from '@todo/local-stack';
import { APP_TOKEN, serviceEnv, TASK_API_ENV } from './service-env.js';
import { serviceProcess, type ServiceProcess } from './service-process.js';

export interface DirectStack {
  database: TestDatabase;
  /** The first task-api replica. */
  api: ServiceProcess;
  /** Every task-api replica (`apiReplicas` of them), all on the one database. */
  apis: ServiceProcess[];
  engine: ServiceProcess;
  logs: string[];
  close(): Promise<void>;
}

/**
 * Both services as real processes on a database of their own, with no sidecars or broker: each
 * one's outbox relay delivers straight to the engine's subscription route over HTTP, as `pnpm dev`
 * runs them (`EVENT_TRANSPORT=direct`). Needs only PostgreSQL (a per-test-file database, so the
 * jest global setup of `@todo/db/testing` must run).
 */
export async function startDirectStack(
  options: {
    /** task-api processes to start (default 1), as replicas behind a load balancer would run. */
    apiReplicas?: number;
    /** Extra environment for every task-api replica. */
    apiEnv?: Record<string, string>;
    /**
     * The database to run on, instead of a per-test-file one (which needs jest's global setup);
     * whoever created it drops it.
     */
    database?: TestDatabase;
  } = {},
): Promise<DirectStack> {
  const logs: string[] = [];
  const database = options.database ?? (await createTestDatabase());
  const started: Array<() => Promise<unknown>> = options.database ? [] : [() => database.drop()];
  try {
    const enginePort = await freePort();
    const delivery = {
      EVENT_TRANSPORT: 'direct',
      DIRECT_ENGINE_URL: `http://127.0.0.1:${enginePort}`,
      DIRECT_ENGINE_TOKEN: APP_TOKEN,
      // Tests wait for the outbox to drain, so a short poll keeps them short.
      OUTBOX_POLL_INTERVAL_MS: '100',
      OUTBOX_MAX_RETRY_DELAY_MS: '1000',
    };
    const engine = serviceProcess({
      name: `recurrence-engine:${enginePort}`,
      serviceDir: 'recurrence-engine',
      port: enginePort,
      logs,
      env: { ...serviceEnv(database.url), ...delivery, APP_API_TOKEN: APP_TOKEN },
    });
    await engine.start();
    started.push(() => engine.stop());
    const apis: ServiceProcess[] = [];
    for (let i = 0; i < (options.apiReplicas ?? 1); i += 1) {
      const apiPort = await freePort();
      const api = serviceProcess({
        name: `task-api:${apiPort}`,
        serviceDir: 'task-api',
        port: apiPort,
        logs,
        env: { ...serviceEnv(database.url), ...delivery, ...TASK_API_ENV, ...options.apiEnv },
      });
      await api.start();
      started.push(() => api.stop());
      apis.push(api);
    }
    return {
      database,
      api: apis[0]!,
      apis,
      engine,
      logs,
      close: () => stopAll(started.reverse()),
    };
  } catch (error) {
    // The start error stays the one thrown; a failure to stop is named with it.
    const stopFailure = await stopAll(started.reverse()).then(
      () => '',
      (stopError: unknown) => `; stopping what had started failed too: ${String(stopError)}`,
    );
    throw new Error(
      `the direct stack did not start (${String(error)})${stopFailure}; its log:\n${logs.join('\n')}`,
      { cause: error },
    );
  }
}
