import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export interface SpawnedService {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object'
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Runs a service's entry point from source (tsx, `source` condition) as its own process. */
export function spawnService(
  cwd: string,
  entry: string,
  env: Record<string, string>,
): SpawnedService {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', entry], {
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

export async function waitFor(
  check: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts a service's entry point as a process, waits until it listens, checks /readyz, sends
 * SIGTERM and reports what happened, for the services' process tests to assert on.
 */
export async function serveThenTerminate<Probe = undefined>(options: {
  name: string;
  cwd: string;
  env: Record<string, string>;
  /** Runs against the listening process before it is stopped; its result is returned. */
  whileServing?: (port: number) => Promise<Probe>;
}) {
  const port = await freeLoopbackPort();
  const service = spawnService(options.cwd, 'src/main.ts', {
    ...options.env,
    PORT: String(port),
    HOST: '127.0.0.1',
  });
  await waitFor(
    () => service.output().includes(`${options.name} listening`),
    20_000,
    `${options.name} to listen`,
  );
  const readyStatus = (await fetch(`http://127.0.0.1:${port}/readyz`)).status;
  let probed: Probe | undefined;
  try {
    probed = await options.whileServing?.(port);
  } finally {
    service.child.kill('SIGTERM');
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
}

/** Runs a service's entry point with the given environment until it exits. */
export async function runUntilExit(cwd: string, env: Record<string, string>) {
  const service = spawnService(cwd, 'src/main.ts', env);
  return { exitCode: await service.exited, output: service.output() };
}
