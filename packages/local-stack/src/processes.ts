import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServiceSpec {
  name: string;
  /** Workspace package to run `pnpm run dev` in. */
  filter: string;
  env: Record<string, string>;
}

/** Runs a service's dev script with its output prefixed by its name. */
export function startService(spec: ServiceSpec, cwd: string): ChildProcess {
  const child = spawn('pnpm', ['--filter', spec.filter, 'run', 'dev'], {
    cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => {
      process.stdout.write(`[${spec.name}] ${line}\n`);
    });
  }
  return child;
}

/** Stops a child and everything it started (its process group). */
export function stopService(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.pid === undefined) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      resolve();
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 8000).unref();
  });
}

/**
 * Keeps the dev system up until Ctrl-C (or SIGTERM), or until one service exits: then stops every
 * service and runs `cleanup` (sidecars, broker, database) before exiting.
 */
export function superviseUntilStopped(
  services: ChildProcess[],
  log: (line: string) => void,
  cleanup: () => Promise<void>,
): void {
  let stopping = false;
  const stop = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping');
    await Promise.all(services.map(stopService));
    await cleanup();
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  for (const child of services) {
    child.on('exit', (code) => {
      if (!stopping) {
        log(`a service exited (code ${code}); stopping everything`);
        void stop(code ?? 1);
      }
    });
  }
}
