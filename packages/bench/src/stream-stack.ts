import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMigratedDatabase } from '@todo/db';
import { freePort } from '@todo/embedded-postgres';
import { stopAll } from '@todo/local-stack';
import { serviceProcess, type ServiceProcess } from '@todo/stack-harness';
import postgres from 'postgres';
import { startPostgresWithCommitTimestamps } from './commit-timestamps.js';
import { serviceNodeArgs } from './measure.js';
import { commandLine } from './process-usage.js';

export interface StreamStack {
  api: ServiceProcess;
  engine: ServiceProcess;
  /** A client of the stack's database, for reading commit timestamps. */
  sql: postgres.Sql;
  logs: string[];
  close(): Promise<void>;
}

const APP_TOKEN = 'bench-app-token-0123456789abcdef';

/**
 * The system as `pnpm dev` runs it, with no sidecars or broker: task-api's outbox relay delivers
 * straight to the engine over HTTP (`EVENT_TRANSPORT=direct`). Unlike `pnpm dev`, each service
 * runs compiled with its deployment's Node.js flags (as every benchmark here does), and PostgreSQL
 * records commit timestamps. `apiEnv` adds to task-api's environment.
 */
export async function startStreamStack(apiEnv: Record<string, string>): Promise<StreamStack> {
  const dir = await mkdtemp(join(tmpdir(), 'todo-bench-stream-'));
  const started: Array<() => Promise<unknown>> = [() => rm(dir, { recursive: true, force: true })];
  const logs: string[] = [];
  try {
    const pg = await startPostgresWithCommitTimestamps(join(dir, 'pg'));
    started.push(() => pg.stop());
    const url = await createMigratedDatabase(pg.url, 'bench_stream');
    const sql = postgres(url, { max: 2, onnotice: () => {} });
    started.push(() => sql.end());
    const enginePort = await freePort();
    const delivery = {
      EVENT_TRANSPORT: 'direct',
      DIRECT_ENGINE_URL: `http://127.0.0.1:${enginePort}`,
      DIRECT_ENGINE_TOKEN: APP_TOKEN,
    };
    const common = { NODE_ENV: 'production', LOG_LEVEL: 'info', DATABASE_URL: url };
    const engine = serviceProcess({
      name: 'recurrence-engine',
      serviceDir: 'recurrence-engine',
      port: enginePort,
      logs,
      compiled: true,
      env: { ...common, ...delivery, APP_API_TOKEN: APP_TOKEN },
      nodeArgs: serviceNodeArgs('recurrence-engine'),
    });
    started.push(() => engine.stop());
    await engine.start();
    const api = serviceProcess({
      name: 'task-api',
      serviceDir: 'task-api',
      port: await freePort(),
      logs,
      compiled: true,
      env: {
        ...common,
        ...delivery,
        JWT_SECRET: 'bench-only-secret-that-is-long-enough-0123456789',
        AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
        WRITE_RATE_LIMIT_PER_MINUTE: '1000000',
        PREVIEW_RATE_LIMIT_PER_MINUTE: '1000000',
        ...apiEnv,
      },
      nodeArgs: serviceNodeArgs('task-api'),
    });
    started.push(() => api.stop());
    await api.start();
    // serviceProcess checked that what answers /readyz is this process; the pid sampled for CPU
    // and memory must be node running the compiled service, not a wrapper.
    for (const [name, service] of [
      ['task-api', api],
      ['recurrence-engine', engine],
    ] as const) {
      const cmd = commandLine(service.pid()!);
      if (!cmd.endsWith('dist/main.js')) throw new Error(`${name}'s pid runs ${cmd}`);
    }
    return { api, engine, sql, logs, close: () => stopAll(started.reverse()) };
  } catch (error) {
    await stopAll(started.reverse()).catch(() => undefined);
    throw new Error(
      `the stream bench's stack did not start (${String(error)}):\n${logs.join('\n')}`,
      {
        cause: error,
      },
    );
  }
}
