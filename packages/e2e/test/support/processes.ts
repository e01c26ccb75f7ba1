import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@todo/local-stack';

export interface ServiceProcess {
  name: string;
  port: number;
  url: string;
  logs: string[];
  stop(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
}

/** A service run from source as its own process, restartable with the same port and settings. */
export function serviceProcess(options: {
  name: string;
  serviceDir: string;
  port: number;
  env: Record<string, string>;
  logs: string[];
}): ServiceProcess {
  let child: ChildProcess | undefined;
  const cwd = join(REPO_ROOT, 'services', options.serviceDir);
  const url = `http://127.0.0.1:${options.port}`;
  return {
    name: options.name,
    port: options.port,
    url,
    logs: options.logs,
    async start() {
      child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/main.ts'], {
        cwd,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          PORT: String(options.port),
          HOST: '127.0.0.1',
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      for (const stream of [child.stdout!, child.stderr!]) {
        stream.on('data', (c: Buffer) =>
          c
            .toString()
            .split('\n')
            .filter(Boolean)
            .forEach((l) => options.logs.push(`[${options.name}] ${l}`)),
        );
      }
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (child.exitCode !== null)
          throw new Error(`${options.name} exited with code ${child.exitCode}`);
        const up = await fetch(`${url}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
        if (up) return;
        if (Date.now() > deadline) throw new Error(`${options.name} was not ready within 60 s`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      const current = child;
      if (!current || current.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        current.once('exit', () => resolve());
        current.kill(signal);
      });
    },
  };
}
