import type { ChildProcess } from 'node:child_process';
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
  /** What Vite and the services printed, so far. */
  readonly logs: string[];
  close(): Promise<void>;
}

const WEB_DIR = join(REPO_ROOT, 'services', 'web');

/**
 * What `pnpm dev` runs, for a browser suite: a PostgreSQL server of its own (embedded, in a
 * temporary directory, no jest setup needed), task-api and the recurrence engine on it with the
 * direct transport, and the web app's production build served by Vite's preview with `/api`
 * proxied to task-api, so the page and the API share one origin as in production. The app is
 * built into the stack's temporary directory, not `services/web/dist`, which another build could
 * replace while the suite runs. Every part is a process group of its own on a free port, stopped
 * and checked gone by `close()`; a part that fails to start stops what started before it.
 */
export async function startWebStack(
  options: {
    /** Extra environment for task-api (e.g. its rate limits). */
    apiEnv?: Record<string, string>;
  } = {},
): Promise<WebStack> {
  // Vite's lines; the services keep their own (startDirectStack's error quotes them if they fail).
  const logs: string[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'todo-web-stack-'));
  const started: Array<() => Promise<unknown>> = [() => rm(dir, { recursive: true, force: true })];
  try {
    const staticDir = join(dir, 'web');
    // Built while PostgreSQL starts: the two take about as long, on different work.
    const built = runVite(['build', '--outDir', staticDir, '--emptyOutDir'], logs, started);
    // Awaited below; until then a failed build must not count as an unhandled rejection.
    built.catch(() => undefined);
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
    await built;
    const web = await startPreview(staticDir, services.api.url, logs);
    started.push(() => stopChild(web.child));
    return {
      url: `http://localhost:${web.port}`,
      services,
      get logs() {
        return [...logs, ...services.logs];
      },
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

/** services/web's own Vite, in a process group of its own (its config reads these variables). */
function spawnVite(args: string[], env: Record<string, string>): ChildProcess {
  return spawnGroup(
    process.execPath,
    [join(WEB_DIR, 'node_modules', 'vite', 'bin', 'vite.js'), ...args],
    {
      cwd: WEB_DIR,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

/** Runs a Vite command to its end; rejects, naming its exit, unless it succeeds. */
function runVite(
  args: string[],
  logs: string[],
  started: Array<() => Promise<unknown>>,
): Promise<void> {
  const child = spawnVite(args, {});
  started.push(() => stopChild(child));
  pipeLines(child, (line) => logs.push(`[vite ${args[0]}] ${line}`));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`vite ${args.join(' ')} exited with ${signal ?? `code ${code}`}`)),
    );
  });
}

/** `vite preview` of the build in `staticDir`, with `/api` proxied to `apiUrl`. */
async function startPreview(
  staticDir: string,
  apiUrl: string,
  logs: string[],
): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  await assertPortsFree({ web: port });
  const child = spawnVite(['preview', '--outDir', staticDir], {
    WEB_PORT: String(port),
    TASK_API_URL: apiUrl,
  });
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
