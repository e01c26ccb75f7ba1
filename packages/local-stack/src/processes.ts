import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { spawnGroup, stopChild } from './child-process.js';

export interface ServiceSpec {
  name: string;
  /** Workspace package to run `pnpm run dev` in. */
  filter: string;
  env: Record<string, string>;
}

/**
 * Runs a service's dev script with its output prefixed by its name, in a process group of its
 * own (pnpm → tsx watch → node). Check its port is free first (assertPortsFree): a service that
 * cannot bind exits, but a client could meanwhile reach whatever holds the port.
 */
export function startService(spec: ServiceSpec, cwd: string): ChildProcess {
  const child = spawnGroup('pnpm', ['--filter', spec.filter, 'run', 'dev'], {
    cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => {
      process.stdout.write(`[${spec.name}] ${line}\n`);
    });
  }
  return child;
}

/** Stops a service and everything it started (its process group), and checks they are gone. */
export function stopService(child: ChildProcess): Promise<void> {
  return stopChild(child, 'SIGTERM', 8000);
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
    const failures: unknown[] = [];
    // The services first, then what they use (sidecars, broker, database).
    for (const result of await Promise.allSettled(services.map(stopService)))
      if (result.status === 'rejected') failures.push(result.reason);
    await cleanup().catch((error: unknown) => failures.push(error));
    for (const failure of failures) log(`could not stop cleanly: ${String(failure)}`);
    process.exit(failures.length && !exitCode ? 1 : exitCode);
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
