import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, createMigratedDatabase } from '@todo/db';
import type { TestDatabase } from '@todo/db/testing';
import { freePort, startEmbeddedPostgres } from '@todo/embedded-postgres';
import {
  assertPortsFree,
  pipeLines,
  REPO_ROOT,
  spawnGroup,
  stopAll,
  stopChild,
  waitUntilReady,
} from '@todo/local-stack';
import { startDirectStack, type DirectStack } from './direct-stack.js';

export interface WebStack {
  /** The page's origin, `http://localhost:<port>`: task-api's Secure refresh cookie is kept there. */
  url: string;
  /** task-api, the recurrence engine and their database, behind the page. */
  services: DirectStack;
  logs: string[];
  close(): Promise<void>;
}

const WEB_DIR = join(REPO_ROOT, 'services', 'web');

/**
 * What `pnpm dev` runs, for a browser suite: a PostgreSQL server of its own (embedded, in a
 * temporary directory, no jest setup needed), task-api and the recurrence engine on it with the
 * direct transport, and the web app's production build (`services/web/dist`, built first) served
 * by Vite's preview with `/api` proxied to task-api, so the page and the API share one origin as
 * in production. Every part is a process group of its own on a free port, stopped and checked
 * gone by `close()`; a part that fails to start stops what started before it.
 */
export async function startWebStack(
  options: {
    /** Extra environment for task-api (e.g. its rate limits). */
    apiEnv?: Record<string, string>;
  } = {},
): Promise<WebStack> {
  if (!existsSync(join(WEB_DIR, 'dist', 'index.html')))
    throw new Error(`${WEB_DIR}/dist has no build: run \`pnpm --filter @todo/web build\` first`);
  // The services' log once they run (startDirectStack's own error quotes it if they fail); the
  // web's lines join it.
  let logs: string[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'todo-web-stack-'));
  const started: Array<() => Promise<unknown>> = [() => rm(dir, { recursive: true, force: true })];
  try {
    const server = await startEmbeddedPostgres({
      dataDir: join(dir, 'postgres'),
      persistent: false,
      fast: true,
    });
    started.push(() => server.stop());
    const url = await createMigratedDatabase(server.url, 'todo');
    const connection = createDatabase(url, { max: 2, applicationName: 'todo-web-stack' });
    started.push(() => connection.close());
    const database: TestDatabase = { ...connection, url, name: 'todo', drop: connection.close };
    const services = await startDirectStack({ database, apiEnv: options.apiEnv });
    started.push(() => services.close());
    logs = services.logs;
    const web = await startPreview(services.api.url, logs);
    started.push(() => stopChild(web.child));
    return {
      url: `http://localhost:${web.port}`,
      services,
      logs,
      close: () => stopAll(started.reverse()),
    };
  } catch (error) {
    const stopFailure = await stopAll(started.reverse()).then(
      () => '',
      (stopError: unknown) => `; stopping what had started failed too: ${String(stopError)}`,
    );
    throw new Error(
      `the web stack did not start (${String(error)})${stopFailure}; its log:\n${logs.join('\n')}`,
      { cause: error },
    );
  }
}

/** `vite preview` of services/web (its config reads WEB_PORT and TASK_API_URL, as `pnpm dev`'s). */
async function startPreview(
  apiUrl: string,
  logs: string[],
): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  await assertPortsFree({ web: port });
  const child = spawnGroup(
    process.execPath,
    [join(WEB_DIR, 'node_modules', 'vite', 'bin', 'vite.js'), 'preview'],
    {
      cwd: WEB_DIR,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        WEB_PORT: String(port),
        TASK_API_URL: apiUrl,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  pipeLines(child, (line) => logs.push(`[web:${port}] ${line}`));
  try {
    // The page, and task-api's answer through the proxy: both must come from what was started.
    await waitUntilReady(
      `web:${port}`,
      child,
      async () =>
        (await fetch(`http://127.0.0.1:${port}/`)).ok &&
        (await fetch(`http://127.0.0.1:${port}/api/auth/me`)).status === 401,
      60_000,
      { port },
    );
  } catch (error) {
    await stopChild(child, 'SIGKILL');
    throw error;
  }
  return { child, port };
}
