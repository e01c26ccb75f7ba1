import type { ChildProcess } from 'node:child_process';
import { freePort } from '@todo/embedded-postgres';
import { runThenStop, spawnGroup, stopChild, waitUntilReady } from './child-process.js';
import { eventually } from './eventually.js';

export interface SpawnedService {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/**
 * Runs a service's entry point from source (tsx, `source` condition) as its own process group;
 * whoever spawns it stops it with stopChild.
 */
export function spawnService(
  cwd: string,
  entry: string,
  env: Record<string, string>,
): SpawnedService {
  const child = spawnGroup(process.execPath, ['--conditions=source', '--import', 'tsx', entry], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output: () => text, exited };
}

/** Polls a synchronous condition every 50 ms until it holds, or fails after `timeoutMs`. */
export async function waitFor(
  check: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  await eventually(check, { timeoutMs, what });
}

/** Above the services' own forced exit after 10 s of draining, so that is what a test sees. */
const SHUTDOWN_GRACE_MS = 12_000;

/**
 * Starts a service's entry point as a process, waits until it listens, checks /readyz, sends
 * SIGTERM and reports what happened, for the services' process tests to assert on. Whatever
 * happens (it never listens, a probe fails), its process group is stopped and checked gone.
 */
export async function serveThenTerminate<Probe = undefined>(options: {
  name: string;
  cwd: string;
  env: Record<string, string>;
  /** Runs against the listening process before it is stopped; its result is returned. */
  whileServing?: (port: number) => Promise<Probe>;
}) {
  const port = await freePort();
  const service = spawnService(options.cwd, 'src/main.ts', {
    ...options.env,
    PORT: String(port),
    HOST: '127.0.0.1',
  });
  return runThenStop(async () => {
    // The port was free a moment ago, not reserved: only the child holding it counts as up.
    await waitUntilReady(
      options.name,
      service.child,
      async () => service.output().includes(`${options.name} listening`),
      20_000,
      { port },
    ).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}; its output:\n${service.output()}`, { cause: error });
    });
    const readyStatus = (
      await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(5_000) })
    ).status;
    let probed: Probe | undefined;
    try {
      probed = await options.whileServing?.(port);
    } finally {
      await stopChild(service.child, 'SIGTERM', SHUTDOWN_GRACE_MS);
    }
    const exitCode = await service.exited;
    const listening =
      service
        .output()
        .split('\n')
        .find((line) => line.includes('listening')) ?? '{}';
    return {
      readyStatus,
      probed,
      exitCode,
      output: service.output(),
      listeningLine: JSON.parse(listening) as Record<string, unknown>,
    };
  }, [() => stopChild(service.child)]);
}

/**
 * Runs a service's entry point with the given environment until it exits (within `timeoutMs`),
 * then checks nothing it started is left.
 */
export async function runUntilExit(cwd: string, env: Record<string, string>, timeoutMs = 20_000) {
  const service = spawnService(cwd, 'src/main.ts', env);
  return runThenStop(async () => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `the service did not exit within ${timeoutMs / 1000} s; its output:\n${service.output()}`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      return { exitCode: await Promise.race([service.exited, timedOut]), output: service.output() };
    } finally {
      clearTimeout(timer);
    }
  }, [() => stopChild(service.child)]);
}
