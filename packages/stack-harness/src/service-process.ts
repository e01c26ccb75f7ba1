import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  assertPortsFree,
  pipeLines,
  REPO_ROOT,
  spawnGroup,
  stopChild,
  waitUntilReady,
} from '@todo/local-stack';

export interface ServiceProcess {
  name: string;
  port: number;
  url: string;
  /** Where it serves its Prometheus metrics (`METRICS_PORT`), when it was given one. */
  metricsPort: number | undefined;
  logs: string[];
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Whether the process is alive now. */
  running(): boolean;
  /** Its pid while running (for memory sampling). */
  pid(): number | undefined;
  /** Starts (again), optionally with extra environment for this run only. */
  start(extraEnv?: Record<string, string>): Promise<void>;
}

/**
 * The Node.js binary the services run on: STACK_SERVICE_NODE when set (benchmarks point it at the
 * service image's major, which local-stack's scripts/ensure-node.sh fetches, since V8's memory
 * defaults differ between majors), otherwise the one running this process.
 */
export function serviceNode(): string {
  return process.env.STACK_SERVICE_NODE || process.execPath;
}

/**
 * A service run as its own process group, restartable with the same port and settings. Each
 * start checks the port is free and that what answers /readyz is this process; stop waits until
 * the group is gone.
 */
export function serviceProcess(options: {
  name: string;
  serviceDir: string;
  port: number;
  /**
   * Its METRICS_PORT. Without one it picks a free port (0), so two stacks never contend for the
   * services' default metrics ports.
   */
  metricsPort?: number;
  env: Record<string, string>;
  logs: string[];
  /** Extra flags for node itself (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /**
   * Run the compiled `dist/main.js`, as the container image does, instead of the source through
   * tsx (benchmarks: the loader's hooks and source maps cost CPU and memory). Build first.
   */
  compiled?: boolean;
}): ServiceProcess {
  let child: ChildProcess | undefined;
  const cwd = join(REPO_ROOT, 'services', options.serviceDir);
  const url = `http://127.0.0.1:${options.port}`;
  return {
    name: options.name,
    port: options.port,
    url,
    metricsPort: options.metricsPort,
    logs: options.logs,
    async start(extraEnv: Record<string, string> = {}) {
      await assertPortsFree({
        [options.name]: options.port,
        ...(options.metricsPort ? { [`${options.name} metrics`]: options.metricsPort } : {}),
      });
      child = spawnGroup(
        serviceNode(),
        [
          ...(options.nodeArgs ?? []),
          ...(options.compiled
            ? ['dist/main.js']
            : ['--conditions=source', '--import', 'tsx', 'src/main.ts']),
        ],
        {
          cwd,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? '',
            PORT: String(options.port),
            HOST: '127.0.0.1',
            METRICS_PORT: String(options.metricsPort ?? 0),
            ...options.env,
            ...extraEnv,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const current = child;
      pipeLines(current, (line) => options.logs.push(`[${options.name}] ${line}`));
      try {
        await waitUntilReady(
          options.name,
          current,
          () => fetch(`${url}/readyz`).then((r) => r.ok),
          60_000,
          { port: options.port },
        );
      } catch (error) {
        await stopChild(current, 'SIGKILL');
        throw error;
      }
    },
    stop: (signal: NodeJS.Signals = 'SIGTERM') => stopChild(child, signal),
    running: () => !!child && child.exitCode === null && child.signalCode === null,
    pid: () => child?.pid,
  };
}
