import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { processTree, stopWhenProcessExits } from '@todo/embedded-postgres';
import { eventually } from './eventually.js';

/** Forwards a child's output, line by line, to `log`. */
export function pipeLines(child: ChildProcess, log: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) =>
      chunk
        .toString()
        .split('\n')
        .filter(Boolean)
        .forEach((line) => log(line)),
    );
  }
}

const groupLeaders = new WeakSet<ChildProcess>();
const exitRegistrations = new WeakMap<ChildProcess, () => void>();

/**
 * Spawns a child as the leader of a new process group, so that stopping it stops everything it
 * starts too (pnpm → tsx → node, a JVM's helpers). If this process exits without stopping it,
 * the group is killed then, so no child outlives its launcher.
 */
export function spawnGroup(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  const pid = child.pid;
  if (pid === undefined) return child;
  groupLeaders.add(child);
  exitRegistrations.set(
    child,
    stopWhenProcessExits(() => process.kill(-pid, 'SIGKILL')),
  );
  // The kernel keeps a pid unused while it names a live group; once the group is gone the
  // number may be reused, so from then on it must never be signalled.
  child.once('exit', () => {
    if (!groupExists(pid)) forgetAtExit(child);
  });
  return child;
}

function forgetAtExit(child: ChildProcess): void {
  exitRegistrations.get(child)?.();
  exitRegistrations.delete(child);
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but is not ours to signal (it cannot be, having been started by us).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  try {
    if (groupLeaders.has(child)) process.kill(-child.pid!, sig);
    else child.kill(sig);
  } catch {
    // already gone
  }
}

async function exitWithin(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, ms);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/**
 * Signals a child (its whole process group when started with spawnGroup) and resolves once it
 * and, for a group, every process in it are gone; SIGKILL after `graceMs`. Rejects if something
 * survives even that, rather than leave it running unnoticed.
 */
export async function stopChild(
  child: ChildProcess | undefined,
  sig: NodeJS.Signals = 'SIGTERM',
  graceMs = 10_000,
): Promise<void> {
  if (!child || child.pid === undefined) return;
  const pid = child.pid;
  const group = groupLeaders.has(child);
  const alive = () => !exited(child) || (group && groupExists(pid));
  if (!alive()) {
    forgetAtExit(child);
    return;
  }
  signal(child, sig);
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await exitWithin(child, 50);
  if (alive()) {
    signal(child, 'SIGKILL');
    const killDeadline = Date.now() + 5_000;
    while (alive() && Date.now() < killDeadline) await exitWithin(child, 50);
  }
  if (alive())
    throw new Error(`process ${group ? 'group ' : ''}${pid} is still running after SIGKILL`);
  forgetAtExit(child);
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs every stop in turn, each one even when an earlier one failed, then rejects naming every
 * failure: a stop that failed may have left a process running, which must not go unnoticed.
 */
export async function stopAll(stops: Iterable<() => Promise<unknown>>): Promise<void> {
  const failures: unknown[] = [];
  for (const stop of stops) {
    try {
      await stop();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length)
    throw new AggregateError(failures, `stopping failed: ${failures.map(messageOf).join('; ')}`);
}

/**
 * Runs `work`, then `stops` (read only once `work` has settled, so it may add what it starts) last
 * first, on every path. An error from `work` stays the primary one: thrown as is when everything
 * stopped, else as the cause of an error naming the failure to stop too. When only stopping
 * failed, that is the error.
 */
export async function runThenStop<T>(
  work: () => Promise<T>,
  stops: (() => Promise<unknown>)[],
): Promise<T> {
  let outcome: { value: T } | { error: unknown };
  try {
    outcome = { value: await work() };
  } catch (error) {
    outcome = { error };
  }
  const stopped = await stopAll([...stops].reverse()).then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  if ('value' in outcome) {
    if (stopped) throw stopped.error;
    return outcome.value;
  }
  if (!stopped) throw outcome.error;
  throw new Error(
    `${messageOf(outcome.error)} (then stopping what was started failed too: ${messageOf(stopped.error)})`,
    { cause: outcome.error },
  );
}

/** Whether nothing listens on 127.0.0.1:`port` (binding it is the test). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Fails, naming who holds it when that can be seen, unless every port is free. */
export async function assertPortsFree(ports: Record<string, number>): Promise<void> {
  for (const [what, port] of Object.entries(ports)) {
    if (await portIsFree(port)) continue;
    const holders = listeningPids(port);
    const by = holders?.length
      ? ` by ${holders.map((pid) => `${pid} (${commandLine(pid)})`).join(', ')}`
      : '';
    throw new Error(`port ${port} for ${what} is already in use${by}`);
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 120);
  } catch {
    return '?';
  }
}

/**
 * The pids holding a listening TCP socket on `port` (Linux: /proc/net/tcp{,6} and each process's
 * fds); undefined where that cannot be read. Only processes we may inspect are found, which
 * always includes our own children.
 */
export function listeningPids(port: number): number[] | undefined {
  const inodes = new Set<string>();
  try {
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
        const fields = line.trim().split(/\s+/);
        // local_address is ADDR:PORT in hex; state 0A is LISTEN.
        if (fields.length > 9 && fields[3] === '0A') {
          if (parseInt(fields[1]!.split(':')[1]!, 16) === port) inodes.add(fields[9]!);
        }
      }
    }
  } catch {
    return undefined;
  }
  const pids: number[] = [];
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${name}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${name}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) {
        pids.push(Number(name));
        break;
      }
    }
  }
  return pids;
}

/**
 * Polls `ready` until it answers true; fails early if the child exits or after `timeoutMs`.
 * With `port`, the answer only counts if the child is still alive and it (or a process it
 * started) is what listens there: a process we did not start, answering on a port we chose,
 * must not pass for ours.
 */
export async function waitUntilReady(
  what: string,
  child: ChildProcess,
  ready: () => Promise<boolean>,
  timeoutMs = 60_000,
  options: { port?: number } = {},
): Promise<void> {
  // A verdict that ends the wait early is returned, not thrown: eventually retries what throws.
  const verdict = await eventually<{ failed?: Error }>(
    async () => {
      if (exited(child)) return { failed: new Error(`${what} exited with code ${child.exitCode}`) };
      if (!(await ready())) return false;
      if (exited(child))
        return {
          failed: new Error(`${what} exited (code ${child.exitCode}) yet its port answered`),
        };
      if (options.port === undefined) return {};
      const holders = listeningPids(options.port);
      if (holders === undefined) return {};
      const ours = new Set(processTree(child.pid!).map((p) => p.pid));
      if (holders.some((pid) => ours.has(pid))) return {};
      return {
        failed: new Error(
          `port ${options.port} answered, but not from ${what} (pid ${child.pid}): it is held by ${holders.join(', ') || 'a process we cannot see'}`,
        ),
      };
    },
    { timeoutMs, intervalMs: 200, what },
  ).catch((error: unknown) => {
    const cause = (error as Error).cause;
    const lastProbe = cause === undefined ? '' : `; its last probe failed: ${messageOf(cause)}`;
    throw new Error(`${what} was not ready within ${timeoutMs / 1000} s${lastProbe}`, { cause });
  });
  if (verdict.failed) throw verdict.failed;
}
