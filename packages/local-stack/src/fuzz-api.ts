/**
 * `pnpm fuzz:api`: fuzzes task-api from its own OpenAPI document with schemathesis, signed in,
 * against a real PostgreSQL. Fails on any 5xx, any response that breaks the document, any invalid
 * input accepted, and any operation that works without credentials.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { runMigrations, withDatabase } from '@todo/db';
import { freePort, startEmbeddedPostgres } from '@todo/embedded-postgres';
import { pipeLines, stopChild, waitUntilReady } from './child-process.js';
import { REPO_ROOT } from './paths.js';
import { ensureSchemathesis } from './tools.js';

const log = (line: string) => process.stdout.write(`[fuzz] ${line}\n`);

async function main(): Promise<number> {
  const schemathesis = await ensureSchemathesis(log);
  const dir = await mkdtemp(join(tmpdir(), 'todo-fuzz-'));
  const pg = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    persistent: false,
    fast: true,
  });
  const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
  await admin.unsafe('CREATE DATABASE fuzz');
  await admin.end();
  const databaseUrl = withDatabase(pg.url, 'fuzz');
  await runMigrations(databaseUrl);

  const port = await freePort();
  const api = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
    cwd: join(REPO_ROOT, 'services/task-api'),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      JWT_SECRET: 'fuzz-only-secret-that-is-long-enough-0123456789',
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      EVENT_TRANSPORT: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  pipeLines(api, (line) => errors.push(line));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady('task-api', api, () => fetch(`${base}/readyz`).then((r) => r.ok));
    const registered = await fetch(`${base}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'fuzz@example.com', password: 'fuzz-password-123' }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    log(`fuzzing ${base}/openapi.json`);
    const checks = [
      '--checks',
      'all',
      // A schema-valid value can still be refused for what no JSON Schema says (an RRULE's
      // grammar, an IANA zone's existence): those refusals are 400s naming the field, by design.
      '--exclude-checks',
      'positive_data_acceptance',
    ];
    const code = await new Promise<number>((resolve) => {
      const run = spawn(
        schemathesis,
        [
          'run',
          `${base}/openapi.json`,
          '-H',
          `Authorization: Bearer ${registered.access_token}`,
          ...checks,
          '--max-examples',
          process.env.FUZZ_MAX_EXAMPLES ?? '40',
          ...(process.env.FUZZ_SEED ? ['--seed', process.env.FUZZ_SEED] : []),
          '--request-timeout',
          '10',
          '--no-color',
        ],
        { stdio: 'inherit' },
      );
      run.on('exit', (exitCode) => resolve(exitCode ?? 1));
    });
    const serverErrors = errors.filter((line) => line.includes('"level":"error"'));
    if (serverErrors.length)
      log(`task-api logged ${serverErrors.length} errors:\n${serverErrors.slice(0, 5).join('\n')}`);
    return code;
  } finally {
    await stopChild(api);
    await pg.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
