/**
 * `pnpm fuzz:api`: fuzzes task-api from its own OpenAPI document with schemathesis, signed in,
 * against a real PostgreSQL (configuration: fuzz/schemathesis.toml): valid and invalid data,
 * boundary values, stateful chains through the links between operations, with every check on.
 * Fails on any 5xx, any response slower than 1 s, any response that breaks the document, any
 * invalid input accepted, any operation that works without credentials.
 *
 * Environment: FUZZ_SEED (CI sets one), FUZZ_MAX_EXAMPLES (per operation; 40, or 150 when CI is
 * set), FUZZ_WORKERS (schemathesis workers, default 1).
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { runMigrations, withDatabase } from '@todo/db';
import { freePort, startEmbeddedPostgres } from '@todo/embedded-postgres';
import { pipeLines, stopChild, waitUntilReady } from './child-process.js';
import { REPO_ROOT } from './paths.js';
import { ensureSchemathesis } from './tools.js';

const log = (line: string) => process.stdout.write(`[fuzz] ${line}\n`);

const CONFIG_FILE = fileURLToPath(new URL('../fuzz/schemathesis.toml', import.meta.url));
const JWT_SECRET = 'fuzz-only-secret-that-is-long-enough-0123456789';
const IN_CI = Boolean(process.env.CI) && process.env.CI !== 'false';
const MAX_EXAMPLES = process.env.FUZZ_MAX_EXAMPLES ?? (IN_CI ? '300' : '40');

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
      JWT_SECRET,
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      WRITE_RATE_LIMIT_PER_MINUTE: '1000000',
      PREVIEW_RATE_LIMIT_PER_MINUTE: '1000000',
      EVENT_TRANSPORT: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  pipeLines(api, (line) => errors.push(line));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady('task-api', api, () => fetch(`${base}/readyz`).then((r) => r.ok));
    const token = await register(base, 'fuzz@example.com');
    const failed: string[] = [];
    // Two runs: in one, the stateful phase would stop after a few scenarios, its inputs drawn from
    // the finite pool of responses the earlier phases recorded.
    for (const phases of ['examples,coverage,fuzzing', 'stateful']) {
      const started = Date.now();
      const code = await runSchemathesis(schemathesis, phases, base, token);
      log(`schemathesis ${phases}: ${Math.round((Date.now() - started) / 1000)} s`);
      if (code !== 0) failed.push(`schemathesis ${phases} (exit code ${code})`);
    }
    const serverErrors = errors.filter((line) => line.includes('"level":"error"'));
    if (serverErrors.length)
      log(
        `task-api logged ${serverErrors.length} errors, the first ones:\n` +
          serverErrors
            .slice(0, 5)
            .map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line))
            .join('\n'),
      );
    if (api.exitCode !== null) failed.push(`task-api (exited with code ${api.exitCode})`);
    log(failed.length ? `FAILED: ${failed.join(', ')}` : 'passed');
    return failed.length ? 1 : 0;
  } finally {
    await stopChild(api);
    await pg.stop();
  }
}

async function register(base: string, email: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'fuzz-password-123' }),
  });
  if (response.status !== 201) throw new Error(`register ${email}: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

function runSchemathesis(
  schemathesis: string,
  phases: string,
  base: string,
  token: string,
): Promise<number> {
  log(`schemathesis ${phases}: ${base}/openapi.json, ${MAX_EXAMPLES} examples per operation`);
  return new Promise<number>((resolve) => {
    const run = spawn(
      schemathesis,
      [
        '--config-file',
        CONFIG_FILE,
        'run',
        `${base}/openapi.json`,
        '-H',
        `Authorization: Bearer ${token}`,
        '--phases',
        phases,
        '--max-examples',
        MAX_EXAMPLES,
        '--workers',
        process.env.FUZZ_WORKERS ?? '1',
        ...(process.env.FUZZ_SEED ? ['--seed', process.env.FUZZ_SEED] : []),
        '--no-color',
      ],
      { stdio: 'inherit' },
    );
    run.on('exit', (exitCode) => resolve(exitCode ?? 1));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
